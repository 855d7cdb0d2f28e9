"""gemmlowp's fixed-point exp, 1/(1+x), logistic and tanh on int32 raw values, vectorised.

A value with `integer_bits` integer bits holds real = raw / 2**(31 - integer_bits). Arrays are
int64 holding int32 values; gemmlowp's plain int32 adds and negations wrap, so they are wrapped
here too. TFLM's int8 SOFTMAX, LOGISTIC and TANH kernels are built on these functions.
"""
from __future__ import annotations

import math

import numpy as np

from .fixedpoint import (
    INT32_MAX,
    INT32_MIN,
    rounding_divide_by_pot,
    saturating_rounding_doubling_high_mul as fixed_mul,
    wrap_int32,
)


def _constant(real: float, integer_bits: int) -> int:
    """A fixed-point constant as gemmlowp spells it out (its literals are these roundings)."""
    return round(real * (1 << (31 - integer_bits)))


_EXP_MINUS_ONE_EIGHTH = _constant(math.exp(-1 / 8), 0)
_ONE_THIRD = _constant(1 / 3, 0)
# exp(-2**k) for the bits of the integer part of a negative argument, k = -2 .. 4.
_EXP_OF_MINUS_POWERS_OF_TWO = tuple((k, _constant(math.exp(-2.0 ** k), 0)) for k in range(-2, 5))
_NEWTON_START = _constant(48 / 17, 2)
_NEWTON_SLOPE = _constant(-32 / 17, 2)
_ONE_IN_Q2 = 1 << 29


def saturating_shift_left(x, exponent: int) -> np.ndarray:
    """SaturatingRoundingMultiplyByPOT with a positive exponent: clamp instead of overflowing."""
    threshold = (1 << (31 - exponent)) - 1
    return np.where(x > threshold, INT32_MAX, np.where(x < -threshold, INT32_MIN, x << exponent))


def rescale(x, src_integer_bits: int, dst_integer_bits: int) -> np.ndarray:
    exponent = src_integer_bits - dst_integer_bits
    if exponent > 0:
        return saturating_shift_left(x, exponent)
    if exponent < 0:
        return rounding_divide_by_pot(x, -exponent)
    return x


def rounding_half_sum(a, b) -> np.ndarray:
    """(a + b) / 2 rounded half away from zero; C division truncates toward zero."""
    total = np.asarray(a, dtype=np.int64) + b
    biased = total + np.where(total >= 0, 1, -1)
    return np.where(biased < 0, -((-biased) >> 1), biased >> 1)


def count_leading_zeros_u32(x) -> np.ndarray:
    """CountLeadingZeros(uint32): 32 for zero. frexp is exact for integers below 2**53."""
    _, bit_length = np.frexp((np.asarray(x, dtype=np.int64) & 0xFFFFFFFF).astype(np.float64))
    return 32 - bit_length.astype(np.int64)


def _exp_on_quarter_interval(a) -> np.ndarray:
    """exp(a) for a in [-1/4, 0), Q0.31: a Taylor expansion around -1/8."""
    x = wrap_int32(a + (1 << 28))
    x2 = fixed_mul(x, x)
    x3 = fixed_mul(x2, x)
    x4 = fixed_mul(x2, x2)
    x4_over_4 = rounding_divide_by_pot(x4, 2)
    higher_terms = rounding_divide_by_pot(
        wrap_int32(fixed_mul(wrap_int32(x4_over_4 + x3), _ONE_THIRD) + x2), 1)
    return wrap_int32(_EXP_MINUS_ONE_EIGHTH + fixed_mul(_EXP_MINUS_ONE_EIGHTH, wrap_int32(x + higher_terms)))


def exp_on_negative_values(a, integer_bits: int) -> np.ndarray:
    """exp(a) for a <= 0 given with `integer_bits` (at most 5, so no -32 clamp applies); Q0.31."""
    assert integer_bits <= 5
    fractional_bits = 31 - integer_bits
    quarter = 1 << (fractional_bits - 2)
    a = np.asarray(a, dtype=np.int64)
    a_mod_quarter_minus_quarter = wrap_int32((a & (quarter - 1)) - quarter)
    result = _exp_on_quarter_interval(rescale(a_mod_quarter_minus_quarter, integer_bits, 0))
    remainder = wrap_int32(a_mod_quarter_minus_quarter - a)
    for k, exp_of_minus_power in _EXP_OF_MINUS_POWERS_OF_TWO:
        if integer_bits > k:
            bit_set = (remainder & (1 << (fractional_bits + k))) != 0
            result = np.where(bit_set, fixed_mul(result, exp_of_minus_power), result)
    return np.where(a == 0, INT32_MAX, result)


def _newton_reciprocal_of_half_denominator(a) -> np.ndarray:
    """Three Newton-Raphson steps towards 1 / ((1 + a) / 2), in Q2.29."""
    half_denominator = rounding_half_sum(a, INT32_MAX)
    x = wrap_int32(_NEWTON_START + fixed_mul(half_denominator, _NEWTON_SLOPE))
    for _ in range(3):
        one_minus_product = wrap_int32(_ONE_IN_Q2 - fixed_mul(half_denominator, x))
        x = wrap_int32(x + rescale(fixed_mul(x, one_minus_product), 4, 2))
    return x


def one_over_one_plus_x_for_x_in_0_1(a) -> np.ndarray:
    x = _newton_reciprocal_of_half_denominator(a)
    return rescale(x, 1, 0)  # halving the Q2.29 value is reading it as Q1.30


def one_minus_x_over_one_plus_x_for_x_in_0_1(a) -> np.ndarray:
    x = _newton_reciprocal_of_half_denominator(a)
    return rescale(wrap_int32(x - _ONE_IN_Q2), 2, 0)


def logistic(a, integer_bits: int) -> np.ndarray:
    a = np.asarray(a, dtype=np.int64)
    positive = a > 0
    magnitude = np.where(positive, a, wrap_int32(-a))
    if_positive = one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(wrap_int32(-magnitude), integer_bits))
    if_negative = wrap_int32(INT32_MAX - if_positive)
    return np.where(a == 0, 1 << 30, np.where(positive, if_positive, if_negative))


def tanh(a, integer_bits: int) -> np.ndarray:
    a = np.asarray(a, dtype=np.int64)
    negative = a < 0
    non_positive = np.where(negative, a, wrap_int32(-a))
    # exp(2 * n): reading n with one more integer bit doubles it exactly.
    neg_tanh = one_minus_x_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(non_positive, integer_bits + 1))
    return np.where(a == 0, 0, np.where(negative, wrap_int32(-neg_tanh), neg_tanh))
