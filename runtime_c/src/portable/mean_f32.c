#include "mcu_kernels/internal/reduce_impl.h"

MCU_DEFINE_MEAN(mcu_mean_f32, mcu_mean_f32_params_t, float, float, 0.0f, acc / p.count_float)
