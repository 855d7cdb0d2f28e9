#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_maximum_s16, mcu_minmax_s16_params_t, int16_t, MCU_BINARY_EACH(*x > *y ? *x : *y))
