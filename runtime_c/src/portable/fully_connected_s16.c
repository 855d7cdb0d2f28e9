#include "mcu_fixedpoint.h"
#include "mcu_kernels/fully_connected.h"

void mcu_fully_connected_s16(const void *params)
{
    const mcu_fully_connected_s16_params_t *p = (const mcu_fully_connected_s16_params_t *)params;
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int16_t *x = p->input + b * p->accum_depth;
        for (o = 0; o < p->output_depth; ++o) {
            const int8_t *w = p->weights + o * p->accum_depth;
            const int32_t channel = p->per_channel ? o : 0;
            int64_t acc = 0;
            int32_t scaled;
            for (d = 0; d < p->accum_depth; ++d) {
                acc += (int64_t)((int32_t)x[d] + p->input_offset) * ((int32_t)w[d] + p->weights_offset);
            }
            if (p->int64_accumulator) {
                if (p->bias != NULL) {
                    acc += p->bias[o];
                }
                scaled = mcu_multiply_by_quantized_multiplier_64(acc, p->multiplier[channel], p->shift[channel]);
            } else {
                /* TFLM's int32 accumulator: the sum and the bias wrap to 32 bits. */
                uint32_t acc32 = (uint32_t)(uint64_t)acc;
                if (p->bias != NULL) {
                    acc32 += (uint32_t)(uint64_t)p->bias[o];
                }
                scaled = mcu_multiply_by_quantized_multiplier((int32_t)acc32, p->multiplier[channel], p->shift[channel]);
            }
            scaled = (int32_t)((uint32_t)scaled + (uint32_t)p->output_offset);
            p->output[b * p->output_depth + o] = (int16_t)mcu_clamp_i32(scaled, p->activation_min, p->activation_max);
        }
    }
}
