#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_maximum_f32, mcu_minmax_f32_params_t, float, MCU_BINARY_EACH(*x > *y ? *x : *y))
