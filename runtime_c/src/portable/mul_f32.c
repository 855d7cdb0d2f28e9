#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_mul_f32, mcu_arithmetic_f32_params_t, float,
                         MCU_BINARY_EACH(mcu_clamp_f32(*x * *y, p.activation_min, p.activation_max)))
