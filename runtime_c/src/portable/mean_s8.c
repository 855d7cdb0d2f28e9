#include "mcu_kernels/internal/reduce_impl.h"

/* Unsigned sums wrap exactly like TFLM's int32 accumulator, without undefined behaviour. */
MCU_DEFINE_MEAN(mcu_mean_s8, mcu_mean_s8_params_t, int8_t, uint32_t, (uint32_t)p.sum_offset,
                (int8_t)mcu_requantize_output((int32_t)acc, p.multiplier, p.shift, p.output_zero_point, INT8_MIN,
                                          INT8_MAX))
