#include "mcu_fixedpoint.h"
#include "mcu_kernels/fully_connected.h"

void mcu_fully_connected_s8(const void *params)
{
    const mcu_fully_connected_s8_params_t *p = (const mcu_fully_connected_s8_params_t *)params;
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = p->input + b * p->accum_depth;
        for (o = 0; o < p->output_depth; ++o) {
            const int8_t *w = p->weights + o * p->accum_depth;
            const int32_t channel = p->per_channel ? o : 0;
            /* Unsigned sums wrap exactly like TFLM's int32 accumulator, without undefined behaviour. */
            uint32_t acc = (uint32_t)p->bias[o];
            for (d = 0; d < p->accum_depth; ++d) {
                acc += (uint32_t)((int32_t)x[d] * ((int32_t)w[d] + p->weights_offset));
            }
            p->output[b * p->output_depth + o] =
                (int8_t)mcu_requantize_output((int32_t)acc, p->multiplier[channel], p->shift[channel], p->output_offset,
                                              p->activation_min, p->activation_max);
        }
    }
}
