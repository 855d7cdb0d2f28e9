#include <math.h>

#include "mcu_kernels/activations.h"

void mcu_logistic_f32(const void *params)
{
    const mcu_unary_f32_params_t *p = (const mcu_unary_f32_params_t *)params;
    const float upper_cutoff = 0x1.09e79ep+4f; /* 16.619047164916992188, TFLM's */
    const float lower_cutoff = -9.0f;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const float x = p->input[i];
        float y;
        if (x > upper_cutoff) {
            y = 1.0f;
        } else if (x < lower_cutoff) {
            y = expf(x);
        } else {
            y = 1.0f / (1.0f + expf(-x));
        }
        p->output[i] = y;
    }
}
