#include "mcu_kernels/fully_connected.h"
#include "mcu_kernels/internal/clamp_f32.h"

void mcu_fully_connected_f32(const void *params)
{
    const mcu_fully_connected_f32_params_t *p = (const mcu_fully_connected_f32_params_t *)params;
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const float *x = p->input + b * p->accum_depth;
        for (o = 0; o < p->output_depth; ++o) {
            const float *w = p->weights + o * p->accum_depth;
            float total = 0.0f;
            for (d = 0; d < p->accum_depth; ++d) {
                total += x[d] * w[d];
            }
            total += p->bias != NULL ? p->bias[o] : 0.0f;
            p->output[b * p->output_depth + o] = mcu_clamp_f32(total, p->activation_min, p->activation_max);
        }
    }
}
