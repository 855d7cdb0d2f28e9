#include "mcu_fixedpoint.h"
#include "mcu_kernels/fully_connected.h"

#if defined(__ARM_FEATURE_DSP)
#include "mcu_kernels/internal/dsp_s8.h"
#endif

/* Unsigned sums wrap exactly like TFLM's int32 accumulator, without undefined behaviour. */
static inline int8_t fully_connected_s8_result(const mcu_fully_connected_s8_params_t *p, int32_t o, uint32_t acc)
{
    const int32_t channel = p->per_channel ? o : 0;
    return (int8_t)mcu_requantize_output((int32_t)acc, p->multiplier[channel], p->shift[channel], p->output_offset,
                                         p->activation_min, p->activation_max);
}

#if defined(__ARM_FEATURE_DSP)

/* Two output channels at a time on SMLAD; the weights offset comes in as offset * sum(input). */
void mcu_fully_connected_s8(const void *params)
{
    const mcu_fully_connected_s8_params_t *p = (const mcu_fully_connected_s8_params_t *)params;
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = p->input + b * p->accum_depth;
        int8_t *out = p->output + b * p->output_depth;
        uint32_t offset_share = 0; /* weights_offset * sum_d x[d] */
        if (p->weights_offset != 0) {
            for (d = 0; d < p->accum_depth; ++d) {
                offset_share += (uint32_t)(int32_t)x[d];
            }
            offset_share *= (uint32_t)p->weights_offset;
        }
        for (o = 0; o < p->output_depth; o += 2) {
            const int8_t *w0 = p->weights + o * p->accum_depth;
            const int two = o + 1 < p->output_depth; /* else the second row repeats the first */
            uint32_t acc[2];
            acc[0] = (uint32_t)p->bias[o] + offset_share;
            acc[1] = two ? (uint32_t)p->bias[o + 1] + offset_share : 0u;
            mcu_dot_s8_1x2(x, w0, two ? w0 + p->accum_depth : w0, p->accum_depth, acc);
            out[o] = fully_connected_s8_result(p, o, acc[0]);
            if (two) {
                out[o + 1] = fully_connected_s8_result(p, o + 1, acc[1]);
            }
        }
    }
}

#else

void mcu_fully_connected_s8(const void *params)
{
    const mcu_fully_connected_s8_params_t *p = (const mcu_fully_connected_s8_params_t *)params;
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = p->input + b * p->accum_depth;
        for (o = 0; o < p->output_depth; ++o) {
            const int8_t *w = p->weights + o * p->accum_depth;
            uint32_t acc = (uint32_t)p->bias[o];
            for (d = 0; d < p->accum_depth; ++d) {
                acc += (uint32_t)((int32_t)x[d] * ((int32_t)w[d] + p->weights_offset));
            }
            p->output[b * p->output_depth + o] = fully_connected_s8_result(p, o, acc);
        }
    }
}

#endif
