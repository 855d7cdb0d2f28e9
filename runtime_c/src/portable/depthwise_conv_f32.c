#include "mcu_kernels/internal/conv_impl.h"

MCU_DEFINE_DEPTHWISE_CONV_2D(mcu_depthwise_conv_f32, mcu_depthwise_conv_f32_params_t, float, float, float,
                             MCU_CONV_PRODUCT_F32, MCU_CONV_RESULT_F32)
