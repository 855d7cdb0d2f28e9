#include "mcu_kernels/internal/conv_impl.h"

MCU_DEFINE_CONV_2D(mcu_conv_s8, mcu_conv_s8_params_t, int8_t, int8_t, uint32_t, MCU_CONV_PRODUCT_S8, MCU_CONV_RESULT_S8)
