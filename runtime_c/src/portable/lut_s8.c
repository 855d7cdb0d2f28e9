#include "mcu_kernels/activations.h"

void mcu_lut_s8(const void *params)
{
    const mcu_lut_s8_params_t *p = (const mcu_lut_s8_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        p->output[i] = p->table[(int32_t)p->input[i] + 128];
    }
}
