#include "mcu_kernels/activations.h"

void mcu_relu6_s16(const void *params)
{
    const mcu_relu6_s16_params_t *p = (const mcu_relu6_s16_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t x = p->input[i];
        p->output[i] = (int16_t)(x > p->six ? p->six : (x < p->zero ? p->zero : x));
    }
}
