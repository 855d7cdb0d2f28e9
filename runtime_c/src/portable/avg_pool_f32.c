#include "mcu_kernels/internal/pooling_impl.h"

/* The sum in filter-row-then-column order from +0.0, divided by the float count, then clamped. */
MCU_DEFINE_POOL(mcu_avg_pool_f32, mcu_pool_f32_params_t, float, float, 0.0f, acc + cell,
                mcu_clamp_f32(acc / (float)(rows * columns), p.activation_min, p.activation_max))
