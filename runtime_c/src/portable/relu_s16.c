#include "mcu_fixedpoint.h"
#include "mcu_kernels/activations.h"

void mcu_relu_s16(const void *params)
{
    const mcu_relu_s16_params_t *p = (const mcu_relu_s16_params_t *)params;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        p->output[i] = (int16_t)mcu_requantize_output((int32_t)p->input[i] - p->input_offset, p->multiplier, p->shift,
                                                      p->output_offset, p->activation_min, p->activation_max);
    }
}
