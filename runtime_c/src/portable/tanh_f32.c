#include <math.h>

#include "mcu_kernels/activations.h"

void mcu_tanh_f32(const void *params)
{
    const mcu_unary_f32_params_t *p = (const mcu_unary_f32_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        p->output[i] = tanhf(p->input[i]);
    }
}
