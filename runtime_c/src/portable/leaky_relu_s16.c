#include "mcu_fixedpoint.h"
#include "mcu_kernels/activations.h"

void mcu_leaky_relu_s16(const void *params)
{
    const mcu_leaky_relu_s16_params_t *p = (const mcu_leaky_relu_s16_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t centred = (int32_t)p->input[i] - p->input_offset;
        int32_t scaled;
        if (centred >= 0) {
            scaled = mcu_multiply_by_quantized_multiplier(centred, p->identity_multiplier, p->identity_shift);
        } else {
            scaled = mcu_multiply_by_quantized_multiplier(centred, p->alpha_multiplier, p->alpha_shift);
            if (p->alpha_negate) {
                scaled = (int32_t)(0u - (uint32_t)scaled);
            }
        }
        scaled = (int32_t)((uint32_t)scaled + (uint32_t)p->output_offset);
        p->output[i] = (int16_t)mcu_clamp_i32(scaled, INT16_MIN, INT16_MAX);
    }
}
