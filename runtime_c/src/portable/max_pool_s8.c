#include "mcu_kernels/internal/pooling_impl.h"

MCU_DEFINE_POOL(mcu_max_pool_s8, mcu_pool_s8_params_t, int8_t, int32_t, corner[0], cell > acc ? cell : acc,
                (int8_t)mcu_clamp_i32(acc, p.activation_min, p.activation_max))
