#include "mcu_kernels/internal/pooling_impl.h"

/* The emitter checks that a window's sum fits int32 (at most 2^31 / |type min| cells). */
MCU_DEFINE_POOL(mcu_avg_pool_s8, mcu_pool_s8_params_t, int8_t, int32_t, 0, acc + cell,
                (int8_t)mcu_clamp_i32(mcu_pool_average_i32(acc, rows * columns), p.activation_min, p.activation_max))
