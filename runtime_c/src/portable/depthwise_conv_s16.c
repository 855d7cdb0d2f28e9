#include "mcu_kernels/internal/conv_impl.h"

MCU_DEFINE_DEPTHWISE_CONV_2D(mcu_depthwise_conv_s16, mcu_depthwise_conv_s16_params_t, int16_t, int8_t, int64_t,
                             MCU_CONV_PRODUCT_S16,
                             mcu_conv_s16_result_64(acc, p.bias[oc], p.multiplier[oc], p.shift[oc], p.activation_min,
                                                    p.activation_max))
