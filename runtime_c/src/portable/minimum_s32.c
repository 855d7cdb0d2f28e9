#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_minimum_s32, mcu_minmax_s32_params_t, int32_t, MCU_BINARY_EACH(*x < *y ? *x : *y))
