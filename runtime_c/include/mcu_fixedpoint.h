/* Integer requantisation exactly as TFLM computes it (built without TFLITE_SINGLE_ROUNDING):
 * gemmlowp's saturating rounding doubling high multiply, then a rounding right shift. */
#ifndef MCU_FIXEDPOINT_H
#define MCU_FIXEDPOINT_H

#include <stdint.h>

/* gemmlowp's SaturatingRoundingDoublingHighMul. gemmlowp adds a nudge of 2^30 (product >= 0) or
 * 1 - 2^30 (product < 0) and divides by 2^31 truncating toward zero; for a negative product p that is
 * -floor((2^30 - 1 - p) / 2^31) = ceil((p - 2^30 + 1) / 2^31) = floor((p + 2^30) / 2^31), so both signs
 * are floor((p + 2^30) / 2^31): one multiply-accumulate and an arithmetic shift (SMLAL on Cortex-M).
 * The quotient lies in [-2^31 + 1, 2^31 - 1] except for a == b == INT32_MIN, where it is 2^31 (taken
 * modulo 2^32 it is the only one to read as INT32_MIN) and saturates. Relies on >> of a negative value
 * being arithmetic and on two's-complement conversion to int32_t, as everywhere in this runtime. */
static inline int32_t mcu_sat_round_doubling_high_mul(int32_t a, int32_t b)
{
    const uint32_t high = (uint32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
    return high == 0x80000000u ? INT32_MAX : (int32_t)high;
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

/* mcu_rounding_divide_by_pot for x > INT32_MIN and exponent in [1, 31], without the mask. Halves round
 * away from zero, so a negative x is decremented and then, like a positive one, rounded half up:
 * floor((x' + 2^(e-1)) / 2^e) = floor((t + 1) / 2) = t - floor(t / 2) with t = x' >> (e - 1), which
 * cannot overflow. */
static inline int32_t mcu_rounding_divide_by_pot_nonzero(int32_t x, int exponent)
{
    const int32_t halves = (x + (x >> 31)) >> (exponent - 1);
    return halves - (halves >> 1);
}

/* TFLM's MultiplyByQuantizedMultiplier(int32, int32, int), exact for every multiplier (TFLM's are 0 or
 * in [2^30, 2^31), but negative ones are exact too): mcu_sat_round_doubling_high_mul never returns
 * INT32_MIN, so a right shift may use mcu_rounding_divide_by_pot_nonzero; shift >= 0 needs no rounding. */
static inline int32_t mcu_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift)
{
    const int32_t high =
        mcu_sat_round_doubling_high_mul(mcu_shift_left_wrapping(x, shift > 0 ? shift : 0), multiplier);
    return shift >= 0 ? high : mcu_rounding_divide_by_pot_nonzero(high, -shift);
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
