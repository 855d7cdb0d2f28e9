#include "mcu_kernels/activations.h"

void mcu_relu_f32(const void *params)
{
    const mcu_relu_f32_params_t *p = (const mcu_relu_f32_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const float x = p->input[i];
        p->output[i] = x > p->upper ? p->upper : (x < p->lower ? p->lower : x);
    }
}
