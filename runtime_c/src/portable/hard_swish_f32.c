#include "mcu_kernels/activations.h"

void mcu_hard_swish_f32(const void *params)
{
    const mcu_unary_f32_params_t *p = (const mcu_unary_f32_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const float x = p->input[i];
        const float shifted = x + 3.0f;
        /* std::max(0, x + 3) then std::min(6, .): NaN clamps to 0. */
        const float at_least_zero = 0.0f < shifted ? shifted : 0.0f;
        const float clamped = at_least_zero < 6.0f ? at_least_zero : 6.0f;
        p->output[i] = x * clamped / 6.0f;
    }
}
