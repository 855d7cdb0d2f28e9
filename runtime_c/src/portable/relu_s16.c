#include "mcu_fixedpoint.h"
#include "mcu_kernels/activations.h"

void mcu_relu_s16(const void *params)
{
    const mcu_relu_s16_params_t *p = (const mcu_relu_s16_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t rescaled = mcu_multiply_by_quantized_multiplier((int32_t)p->input[i] - p->input_offset,
                                                                      p->multiplier, p->shift);
        const int32_t shifted = (int32_t)((uint32_t)rescaled + (uint32_t)p->output_offset);
        p->output[i] = (int16_t)mcu_clamp_i32(shifted, p->activation_min, p->activation_max);
    }
}
