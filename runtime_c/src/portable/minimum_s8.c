#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_minimum_s8, mcu_minmax_s8_params_t, int8_t, MCU_BINARY_EACH(*x < *y ? *x : *y))
