#include "mcu_kernels/internal/activations_impl.h"

void mcu_tanh_s16(const void *params)
{
    const mcu_logistic_tanh_s16_params_t *p = (const mcu_logistic_tanh_s16_params_t *)params;
    const uint32_t rounding = mcu_sigmoid_input_rounding(p);
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t v = mcu_sigmoid_input(p, rounding, i);
        /* At most 0xFFFF << 8: int32 holds it. */
        int32_t result = (int32_t)mcu_sigmoid_interpolate(p->sigmoid_table, v, 8, (uint32_t)0xFFFF << 8);
        /* 2 * sigmoid - 1, odd-symmetric, rounded to Q0.15 (arithmetic shift). */
        result = v >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
        p->output[i] = (int16_t)(result >> 8);
    }
}
