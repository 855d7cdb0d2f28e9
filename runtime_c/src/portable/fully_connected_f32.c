#include "mcu_kernels/fully_connected.h"

void mcu_fully_connected_f32(const void *params)
{
    const mcu_fully_connected_f32_params_t *p = (const mcu_fully_connected_f32_params_t *)params;
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const float *x = p->input + b * p->accum_depth;
        for (o = 0; o < p->output_depth; ++o) {
            const float *w = p->weights + o * p->accum_depth;
            float total = 0.0f;
            float clamped;
            for (d = 0; d < p->accum_depth; ++d) {
                total += x[d] * w[d];
            }
            total += p->bias != NULL ? p->bias[o] : 0.0f;
            /* std::min(std::max(total, min), max), NaN and signed zeros included. */
            clamped = total < p->activation_min ? p->activation_min : total;
            p->output[b * p->output_depth + o] = p->activation_max < clamped ? p->activation_max : clamped;
        }
    }
}
