#include <math.h>

#include "mcu_kernels/activations.h"

void mcu_softmax_f32(const void *params)
{
    const mcu_softmax_f32_params_t *p = (const mcu_softmax_f32_params_t *)params;
    int32_t r, c;
    for (r = 0; r < p->rows; ++r) {
        const float *x = p->input + r * p->depth;
        float *out = p->output + r * p->depth;
        float max = x[0];
        float sum = 0.0f;
        for (c = 1; c < p->depth; ++c) {
            max = x[c] > max ? x[c] : max;
        }
        for (c = 0; c < p->depth; ++c) {
            const float e = expf((x[c] - max) * p->beta);
            out[c] = e;
            sum += e;
        }
        for (c = 0; c < p->depth; ++c) {
            out[c] = out[c] / sum;
        }
    }
}
