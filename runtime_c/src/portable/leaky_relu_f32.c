#include "mcu_kernels/activations.h"

void mcu_leaky_relu_f32(const void *params)
{
    const mcu_leaky_relu_f32_params_t *p = (const mcu_leaky_relu_f32_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const float x = p->input[i];
        p->output[i] = x > 0.0f ? x : x * p->alpha;
    }
}
