/* Integer requantisation exactly as TFLM computes it (built without TFLITE_SINGLE_ROUNDING):
 * gemmlowp's saturating rounding doubling high multiply, then a rounding right shift. */
#ifndef MCU_FIXEDPOINT_H
#define MCU_FIXEDPOINT_H

#include <stdint.h>

static inline int32_t mcu_sat_round_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t nudge;
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? (int64_t)1 << 30 : 1 - ((int64_t)1 << 30);
    /* C division truncates toward zero, as gemmlowp requires. */
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

static inline int32_t mcu_rounding_divide_by_pot(int32_t x, int exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * 2^left_shift wraps like a 32-bit multiply; done unsigned so it is defined behaviour. */
static inline int32_t mcu_shift_left_wrapping(int32_t x, int left_shift)
{
    return (int32_t)((uint32_t)x << left_shift);
}

static inline int32_t mcu_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift)
{
    const int left_shift = shift > 0 ? shift : 0;
    const int right_shift = shift > 0 ? 0 : -shift;
    return mcu_rounding_divide_by_pot(
        mcu_sat_round_doubling_high_mul(mcu_shift_left_wrapping(x, left_shift), multiplier), right_shift);
}

/* The 16x8 kernels' variant: a 16-bit multiplier and a single rounding of an int64 product. */
static inline int32_t mcu_multiply_by_quantized_multiplier_64(int64_t x, int32_t multiplier, int shift)
{
    const int32_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    const int total_shift = 15 - shift;
    const int64_t rounded = x * reduced + ((int64_t)1 << (total_shift - 1));
    return (int32_t)(rounded >> total_shift);
}

static inline int32_t mcu_clamp_i32(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* TFLM's output stage: x requantised, the zero point added with TFLM's wrapping int32
 * arithmetic, then clamped to [lo, hi]. */
static inline int32_t mcu_requantize_output(int32_t x, int32_t multiplier, int shift, int32_t zero_point, int32_t lo,
                                            int32_t hi)
{
    const int32_t scaled = mcu_multiply_by_quantized_multiplier(x, multiplier, shift);
    return mcu_clamp_i32((int32_t)((uint32_t)scaled + (uint32_t)zero_point), lo, hi);
}

#endif /* MCU_FIXEDPOINT_H */
