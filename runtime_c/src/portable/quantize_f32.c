#include "mcu_fixedpoint.h"
#include "mcu_kernels/quantize.h"

/* round(x / scale) as a 32-bit integer: halves away from zero, like std::round. Out of int32
 * range and NaN give INT32_MIN (x86's cvttss2si), checked explicitly because the conversion
 * itself would be undefined behaviour (and saturates on Cortex-M). A quotient of magnitude
 * 2^23 or more is already integral, so its rounding cannot leave the range. */
static int32_t round_quotient(float x, float scale)
{
    const float quotient = x / scale;
    int32_t whole;
    float fraction;
    if (!(quotient >= -2147483648.0f && quotient < 2147483648.0f)) {
        return INT32_MIN;
    }
    whole = (int32_t)quotient;
    fraction = quotient - (float)whole; /* exact */
    if (fraction >= 0.5f) {
        ++whole;
    } else if (fraction <= -0.5f) {
        --whole;
    }
    return whole;
}

void mcu_quantize_f32(const void *params)
{
    const mcu_quantize_f32_params_t *p = (const mcu_quantize_f32_params_t *)params;
    int32_t i;
    for (i = 0; i < p->count; ++i) {
        const uint32_t shifted = (uint32_t)round_quotient(p->input[i], p->scale) + (uint32_t)p->zero_point;
        const int32_t value = mcu_clamp_i32((int32_t)shifted, p->output_min, p->output_max);
        if (p->output_bytes == 1) {
            ((int8_t *)p->output)[i] = (int8_t)value;
        } else {
            ((int16_t *)p->output)[i] = (int16_t)value;
        }
    }
}
