#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_minimum_s64, mcu_minmax_s64_params_t, int64_t, MCU_BINARY_EACH(*x < *y ? *x : *y))
