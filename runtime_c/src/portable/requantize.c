#include "mcu_fixedpoint.h"
#include "mcu_kernels/quantize.h"

static int32_t requantize_one(const mcu_requantize_params_t *p, int32_t x)
{
    /* Unsigned arithmetic wraps like TFLM's int32 additions, without undefined behaviour. */
    const int32_t centered = (int32_t)((uint32_t)x - (uint32_t)p->input_zero_point);
    return mcu_requantize_output(centered, p->multiplier, p->shift, p->output_zero_point, p->output_min,
                                 p->output_max);
}

void mcu_requantize(const void *params)
{
    const mcu_requantize_params_t *p = (const mcu_requantize_params_t *)params;
    const int16_t *input16 = (const int16_t *)p->input;
    const int32_t *input32 = (const int32_t *)p->input;
    int32_t i;
    /* Each element is read before it is written, so the output may overwrite the input. */
    for (i = 0; i < p->count; ++i) {
        const int32_t value = requantize_one(p, p->input_bytes == 2 ? (int32_t)input16[i] : input32[i]);
        switch (p->output_bytes) {
        case 1:
            ((int8_t *)p->output)[i] = (int8_t)value;
            break;
        case 2:
            ((int16_t *)p->output)[i] = (int16_t)value;
            break;
        default:
            ((int32_t *)p->output)[i] = value;
            break;
        }
    }
}
