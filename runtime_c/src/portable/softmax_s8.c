#include "mcu_fixedpoint.h"
#include "mcu_kernels/internal/activations_impl.h"

#define ACCUMULATION_INTEGER_BITS 12 /* the sum of exponentials is Q12.19 */

static int32_t wrapping_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* gemmlowp's SaturatingRoundingMultiplyByPOT for a positive exponent. */
static int32_t saturating_shift_left(int32_t x, int exponent)
{
    const int32_t threshold = (int32_t)(((uint32_t)1 << (31 - exponent)) - 1u);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return mcu_shift_left_wrapping(x, exponent);
}

/* gemmlowp's one_over_one_plus_x_for_x_in_0_1 (Q0.31 in, Q1.30 out): three Newton-Raphson steps
 * towards 1 / ((1 + a) / 2) in Q2.29, starting from 48/17 - 32/17 * d. */
static int32_t one_over_one_plus_x(int32_t a)
{
    const int64_t sum = (int64_t)a + INT32_MAX;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    int32_t x = wrapping_add(1515870810, mcu_sat_round_doubling_high_mul(half_denominator, -1010580540));
    int step;
    for (step = 0; step < 3; ++step) {
        const int32_t product = mcu_sat_round_doubling_high_mul(half_denominator, x);
        const int32_t one_minus_product = (int32_t)((uint32_t)(1 << 29) - (uint32_t)product);
        x = wrapping_add(x, saturating_shift_left(mcu_sat_round_doubling_high_mul(x, one_minus_product), 2));
    }
    return saturating_shift_left(x, 1);
}

void mcu_softmax_s8(const void *params)
{
    const mcu_softmax_s8_params_t *p = (const mcu_softmax_s8_params_t *)params;
    const int output_bits = p->output_s16 != NULL ? 16 : 8;
    const int32_t out_min = p->output_s16 != NULL ? INT16_MIN : INT8_MIN;
    const int32_t out_max = p->output_s16 != NULL ? INT16_MAX : INT8_MAX;
    int32_t r, c;
    for (r = 0; r < p->rows; ++r) {
        const int8_t *x = p->input + r * p->depth;
        int32_t max = x[0];
        uint32_t sum = 0; /* wraps like TFLM's int32 sum */
        int headroom_plus_one, exponent;
        int32_t reciprocal;
        for (c = 1; c < p->depth; ++c) {
            max = x[c] > max ? x[c] : max;
        }
        for (c = 0; c < p->depth; ++c) {
            sum += (uint32_t)mcu_rounding_divide_by_pot(p->exp_table[max - x[c]], ACCUMULATION_INTEGER_BITS);
        }
        /* GetReciprocal: normalise the sum into [1, 2) and take 1/(1+x) of its fractional part. */
        headroom_plus_one = mcu_count_leading_zeros_u32(sum);
        reciprocal = one_over_one_plus_x(
            (int32_t)((headroom_plus_one < 32 ? sum << headroom_plus_one : 0u) - 0x80000000u));
        exponent = ACCUMULATION_INTEGER_BITS - headroom_plus_one + 31 - output_bits;
        for (c = 0; c < p->depth; ++c) {
            int32_t value = out_min; /* the row TFLM cannot compute (see the header) */
            if (exponent >= 0 && exponent <= 31) {
                const int32_t unsaturated = mcu_rounding_divide_by_pot(
                    mcu_sat_round_doubling_high_mul(reciprocal, p->exp_table[max - x[c]]), exponent);
                value = mcu_clamp_i32(unsaturated + out_min, out_min, out_max);
            }
            if (p->output_s16 != NULL) {
                p->output_s16[r * p->depth + c] = (int16_t)value;
            } else {
                p->output_s8[r * p->depth + c] = (int8_t)value;
            }
        }
    }
}
