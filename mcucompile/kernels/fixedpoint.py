"""Integer requantisation arithmetic, exactly as TFLM computes it (vectorised over numpy arrays).

TFLM is built without TFLITE_SINGLE_ROUNDING, so the int32 path rounds twice (gemmlowp's
SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT). All helpers take and return int64
arrays holding int32 values, so intermediate products never overflow numpy.
"""
from __future__ import annotations

import math

import numpy as np

INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1


def _c_div_pow2_toward_zero(x: np.ndarray, bits: int) -> np.ndarray:
    """C integer division of int64 x by 2**bits (truncates toward zero, unlike >>)."""
    magnitude = np.abs(x) >> bits
    return np.where(x < 0, -magnitude, magnitude)


def wrap_int32(x) -> np.ndarray:
    """Two's-complement wrap to int32, as a 32-bit C multiply or add does in practice."""
    return np.asarray(x, dtype=np.int64).astype(np.int32).astype(np.int64)


def saturating_rounding_doubling_high_mul(a, b) -> np.ndarray:
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    overflow = (a == b) & (a == INT32_MIN)
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    high = _c_div_pow2_toward_zero(ab + nudge, 31)
    return np.where(overflow, INT32_MAX, high)


def rounding_divide_by_pot(x, exponent) -> np.ndarray:
    """Divide by 2**exponent, rounding half away from zero (gemmlowp)."""
    x = np.asarray(x, dtype=np.int64)
    exponent = np.asarray(exponent, dtype=np.int64)
    mask = (np.int64(1) << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> exponent) + (remainder > threshold)


def multiply_by_quantized_multiplier(x, multiplier, shift) -> np.ndarray:
    """TFLM's MultiplyByQuantizedMultiplier(int32 x, int32 multiplier, int shift).

    `multiplier` and `shift` may be scalars or per-channel arrays broadcast against x.
    """
    shift = np.asarray(shift, dtype=np.int64)
    left_shift = np.where(shift > 0, shift, 0)
    right_shift = np.where(shift > 0, 0, -shift)
    shifted = wrap_int32(np.asarray(x, dtype=np.int64) * (np.int64(1) << left_shift))
    return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift)


def multiply_by_quantized_multiplier_int64(x, multiplier, shift) -> np.ndarray:
    """TFLM's MultiplyByQuantizedMultiplier(int64 x, int32 multiplier, int shift), used by the
    16x8 kernels: the multiplier is reduced to 16 bits and the product rounded once."""
    x = np.asarray(x, dtype=np.int64)
    multiplier = np.asarray(multiplier, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    reduced = np.where(multiplier < 0x7FFF0000, (multiplier + (1 << 15)) >> 16, 0x7FFF)
    total_shift = 15 - shift
    result = (x * reduced + (np.int64(1) << (total_shift - 1))) >> total_shift
    return wrap_int32(result)


def multiply_by_quantized_multiplier_smaller_than_one(x, multiplier, shift) -> np.ndarray:
    """MultiplyByQuantizedMultiplierSmallerThanOneExp: shift <= 0, no left shift."""
    return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(x, multiplier), -np.asarray(shift))


def multiply_by_quantized_multiplier_greater_than_one(x, multiplier, left_shift) -> np.ndarray:
    return saturating_rounding_doubling_high_mul(
        wrap_int32(np.asarray(x, dtype=np.int64) * (np.int64(1) << np.asarray(left_shift, dtype=np.int64))),
        multiplier,
    )


def tflite_round(value: float) -> float:
    """std::round: halves away from zero (Python's round() rounds halves to even)."""
    return math.copysign(math.floor(abs(value) + 0.5), value)


def quantize_multiplier(real_multiplier: float) -> tuple[int, int]:
    """TFLM's QuantizeMultiplier(double): a Q31 multiplier in [2^30, 2^31) and a power-of-two shift."""
    if real_multiplier == 0.0:
        return 0, 0
    fraction, shift = math.frexp(real_multiplier)
    q_fixed = int(tflite_round(fraction * (1 << 31)))
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift, q_fixed = 0, 0
    return q_fixed, shift


def quantize_multipliers(real_multipliers) -> tuple[np.ndarray, np.ndarray]:
    """quantize_multiplier over an array: returns (multipliers, shifts) as int64 arrays."""
    pairs = [quantize_multiplier(float(m)) for m in np.asarray(real_multipliers, dtype=np.float64).ravel()]
    return (np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs], dtype=np.int64))



def saturate(x, dtype) -> np.ndarray:
    info = np.iinfo(dtype)
    return np.clip(x, info.min, info.max).astype(dtype)


def single(value: float) -> float:
    """Round a Python float to float32, as TFLM stores scales."""
    return float(np.float32(value))
