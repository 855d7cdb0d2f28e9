#include "mcu_kernels/internal/pooling_impl.h"

MCU_DEFINE_POOL(mcu_max_pool_s16, mcu_pool_s16_params_t, int16_t, int32_t, corner[0], cell > acc ? cell : acc,
                (int16_t)mcu_clamp_i32(acc, p.activation_min, p.activation_max))
