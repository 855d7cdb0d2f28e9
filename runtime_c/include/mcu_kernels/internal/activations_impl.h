/* Helpers shared by the activation kernels (activations.h). */
#ifndef MCU_KERNELS_INTERNAL_ACTIVATIONS_IMPL_H
#define MCU_KERNELS_INTERNAL_ACTIVATIONS_IMPL_H

#include <stdint.h>

#include "mcu_kernels/activations.h"

/* CountLeadingZeros of a uint32 (32 for zero), for the softmax kernels. */
static inline int mcu_count_leading_zeros_u32(uint32_t x)
{
    int count = 0;
    if (x == 0) {
        return 32;
    }
    while ((x & 0x80000000u) == 0) {
        x <<= 1;
        ++count;
    }
    return count;
}

/* int16 LOGISTIC and TANH: input i rescaled to the sigmoid table's step as TFLM does it,
 * (input * input_multiplier + rounding) >> input_right_shift with `rounding` from
 * mcu_sigmoid_input_rounding; the product wraps like TFLM's int32 arithmetic and the right shift
 * is arithmetic. */
static inline uint32_t mcu_sigmoid_input_rounding(const mcu_logistic_tanh_s16_params_t *p)
{
    return p->input_right_shift > 0 ? (uint32_t)1 << (p->input_right_shift - 1) : 0u;
}

static inline int32_t mcu_sigmoid_input(const mcu_logistic_tanh_s16_params_t *p, uint32_t rounding, int32_t i)
{
    return (int32_t)((uint32_t)p->input[i] * (uint32_t)p->input_multiplier + rounding) >> p->input_right_shift;
}

/* The sigmoid table at |v| in steps of 2^-fraction_bits of an entry, linearly interpolated, with
 * fraction_bits more fractional bits than the table; `saturated` where |v| reaches past the last
 * entry. */
static inline uint32_t mcu_sigmoid_interpolate(const uint16_t *table, int32_t v, int fraction_bits, uint32_t saturated)
{
    const uint32_t magnitude = v >= 0 ? (uint32_t)v : 0u - (uint32_t)v;
    const uint32_t segment = magnitude >> fraction_bits;
    uint32_t low, high;
    if (segment >= 255) {
        return saturated;
    }
    low = table[segment];
    high = table[segment + 1];
    return (low << fraction_bits) + (magnitude & ((1u << fraction_bits) - 1u)) * (high - low);
}

#endif /* MCU_KERNELS_INTERNAL_ACTIVATIONS_IMPL_H */
