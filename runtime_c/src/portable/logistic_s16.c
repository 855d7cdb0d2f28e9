#include "mcu_kernels/internal/activations_impl.h"

void mcu_logistic_s16(const void *params)
{
    const mcu_logistic_tanh_s16_params_t *p = (const mcu_logistic_tanh_s16_params_t *)params;
    const uint32_t rounding = mcu_sigmoid_input_rounding(p);
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t v = mcu_sigmoid_input(p, rounding, i);
        uint32_t result = mcu_sigmoid_interpolate(p->sigmoid_table, v, 9, (uint32_t)0x7FFF << 10);
        /* sigmoid(-x) = 1 - sigmoid(x), rounded to Q0.15. */
        result = v >= 0 ? result + (1u << 9) : (1u << 25) - result + (1u << 9) - 1u;
        p->output[i] = (int16_t)(result >> 10);
    }
}
