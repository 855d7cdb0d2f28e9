#include "mcu_kernels/internal/binary_impl.h"

/* Wraps like TFLM's int32 arithmetic, without undefined behaviour. */
MCU_DEFINE_BINARY_KERNEL(mcu_add_s32, mcu_arithmetic_s32_params_t, int32_t,
                         MCU_BINARY_EACH(mcu_clamp_i32((int32_t)((uint32_t)*x + (uint32_t)*y), p.activation_min,
                                                       p.activation_max)))
