#include "mcu_kernels/activations.h"

void mcu_tanh_s16(const void *params)
{
    const mcu_logistic_tanh_s16_params_t *p = (const mcu_logistic_tanh_s16_params_t *)params;
    const int32_t shift = p->input_right_shift;
    const uint32_t rounding = shift > 0 ? (uint32_t)1 << (shift - 1) : 0u;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        /* The product wraps like TFLM's int32 arithmetic; the right shift is arithmetic. */
        const int32_t v = (int32_t)((uint32_t)p->input[i] * (uint32_t)p->input_multiplier + rounding) >> shift;
        const uint32_t magnitude = v >= 0 ? (uint32_t)v : 0u - (uint32_t)v;
        const uint32_t segment = magnitude >> 8;
        int32_t result;
        if (segment >= 255) {
            result = (int32_t)0xFFFF << 8;
        } else {
            const int32_t low = p->sigmoid_table[segment];
            const int32_t high = p->sigmoid_table[segment + 1];
            result = low * 256 + (int32_t)(magnitude & 0xFF) * (high - low);
        }
        /* 2 * sigmoid - 1, odd-symmetric, rounded to Q0.15 (arithmetic shift). */
        result = v >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
        p->output[i] = (int16_t)(result >> 8);
    }
}
