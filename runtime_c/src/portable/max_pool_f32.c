#include <float.h>

#include "mcu_kernels/internal/pooling_impl.h"

/* std::max(acc, cell) from the lowest float: a NaN cell never wins. */
MCU_DEFINE_POOL(mcu_max_pool_f32, mcu_pool_f32_params_t, float, float, -FLT_MAX, acc < cell ? cell : acc,
                mcu_clamp_f32(acc, p.activation_min, p.activation_max))
