"""SOFTMAX over the last axis, as TFLM computes it for float32, int8 (to int8 or int16) and int16.

int8 runs gemmlowp's fixed-point exp (Q5.26 differences, Q12.19 sum); int16 runs two 513-entry
lookup tables (exp on [-10, 0] and 1/(1+x) on [0, 1]) with TFLM's linear interpolation.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from . import Kernel, Params
from .activation_support import (
    check_types,
    expf,
    input_and_output,
    quantization,
    round_half_away,
)
from .common import unsupported
from .fixedpoint import (
    multiply_by_quantized_multiplier,
    quantize_multiplier,
    rounding_divide_by_pot,
    saturating_rounding_doubling_high_mul,
    wrap_int32,
)
from .gemmlowp_math import count_leading_zeros_u32, exp_on_negative_values, one_over_one_plus_x_for_x_in_0_1

_SUPPORTED = {("float32", "float32"), ("int8", "int8"), ("int8", "int16"), ("int16", "int16")}
_SCALED_DIFF_INTEGER_BITS = 5
_ACCUMULATION_INTEGER_BITS = 12
_INT16_RANGE = 65535  # int16 max - int16 min, as TFLM spells the LUT ranges


# Lowering ---------------------------------------------------------------------------------------
def _lower(op, graph) -> Params:
    input_type, output_type = check_types(op, graph, _SUPPORTED)
    source, _ = input_and_output(op, graph)
    if len(source.shape) < 1:
        raise unsupported(op, "the input is a scalar", "give SOFTMAX an input of rank 1 or more")
    beta = float(op.attrs.get("beta", 0.0))  # TFLM leaves beta zero when the options are missing
    params: Params = {"input_type": input_type, "output_type": output_type, "depth": int(source.shape[-1])}
    if input_type == "float32":
        return {**params, "beta": beta}
    if input_type == "int8":
        return {**params, **_int8_params(op, graph, beta)}
    return {**params, **_int16_params(op, graph, beta)}


def _check_output_quantization(op, graph, zero_point: int, scale: float, exact: bool) -> None:
    _, result = input_and_output(op, graph)
    out_scale, out_zero_point = quantization(op, result)
    # TFLM demands the int8 scale exactly and the int16 ones within 0.1%.
    scale_ok = out_scale == np.float32(scale) if exact else (
        abs(out_scale - np.float32(scale)) <= np.float32(0.001) * np.float32(scale))
    if out_zero_point != zero_point or not scale_ok:
        raise unsupported(op, f"the {result.dtype} output has scale {float(out_scale)!r} and zero point "
                              f"{out_zero_point}", f"TFLM requires scale {scale!r} and zero point {zero_point}")


def _int8_params(op, graph, beta: float) -> Params:
    source, result = input_and_output(op, graph)
    in_scale, _ = quantization(op, source)
    if result.dtype == "int8":
        _check_output_quantization(op, graph, -128, 1 / 256, exact=True)
    else:
        _check_output_quantization(op, graph, -32768, 1 / 65536, exact=False)
    # PreprocessSoftmaxScaling: beta * scale in Q5.26, capped to what an int32 multiplier holds.
    real_multiplier = min(beta * float(in_scale) * (1 << (31 - _SCALED_DIFF_INTEGER_BITS)), (1 << 31) - 1.0)
    if not real_multiplier > 1.0:
        raise unsupported(op, f"beta * input scale = {beta * float(in_scale):.3g} is too small for TFLM's int8 "
                              "softmax (it aborts)", "requantise the input with a larger scale")
    multiplier, left_shift = quantize_multiplier(real_multiplier)
    # CalculateInputRadius: the largest difference whose rescaled value still fits Q5.26.
    radius = int(np.floor(((1 << _SCALED_DIFF_INTEGER_BITS) - 1) * float(1 << (31 - _SCALED_DIFF_INTEGER_BITS))
                          / float(1 << left_shift)))
    return {"input_multiplier": multiplier, "input_left_shift": left_shift, "diff_min": -radius}


def _int16_params(op, graph, beta: float) -> Params:
    source, _ = input_and_output(op, graph)
    in_scale, in_zero_point = quantization(op, source)
    if in_zero_point != 0:
        raise unsupported(op, f"the int16 input has zero point {in_zero_point}", "TFLM requires 0")
    _check_output_quantization(op, graph, 0, 1 / 32768, exact=False)
    # Differences are rescaled so that [-65535, 0] spans [-10, 0], the exp table's domain.
    multiplier, shift = quantize_multiplier(float(in_scale) * beta / (10.0 / 65535.0))
    exp_table, reciprocal_table = _int16_tables()
    return {"input_multiplier": multiplier, "input_shift": shift,
            "exp_lut": exp_table, "one_over_one_plus_x_lut": reciprocal_table}


@cache
def _int16_tables() -> tuple[np.ndarray, np.ndarray]:
    f32 = np.float32
    exp_table = int16_lut(expf, f32(10) / f32(_INT16_RANGE), 32767, f32(2) / f32(_INT16_RANGE), 0)
    reciprocal_table = int16_lut(lambda x: f32(1) / (f32(1) + x), f32(1) / f32(_INT16_RANGE), -32768,
                                 f32(2) / f32(_INT16_RANGE), 0)
    exp_table.flags.writeable = False
    reciprocal_table.flags.writeable = False
    return exp_table, reciprocal_table


def int16_lut(transform, input_scale: np.float32, input_zero_point: int, output_scale: np.float32,
              output_zero_point: int) -> np.ndarray:
    """TFLM's LUTPopulate<int16_t> in float32: 512 samples plus the end point, each sample biased by
    half the error that linear interpolation makes at the segment's midpoint."""
    f32 = np.float32
    input_min = input_scale * f32(-32768 - input_zero_point)
    input_max = input_scale * f32(32767 - input_zero_point)
    output_min = output_scale * f32(-32768 - output_zero_point)
    output_max = output_scale * f32(32767 - output_zero_point)
    step = (input_max - input_min) / f32(512)
    half_step = step / f32(2)
    scaling = f32(65536) / (output_max - output_min)
    left = input_min + np.arange(512, dtype=f32) * step
    value = transform(left)
    value_mid = transform(left + half_step)
    value_next = transform(input_min + np.arange(1, 513, dtype=f32) * step)
    sample = round_half_away(value * scaling)
    interpolated_mid = round_half_away((value_next * scaling + sample) / f32(2))
    bias = round_half_away((interpolated_mid - round_half_away(value_mid * scaling)) / f32(2))
    last = round_half_away(transform(np.array([input_max], dtype=f32)) * scaling)
    return np.clip(np.concatenate([sample - bias, last]), -32768, 32767).astype(np.int16)


# Computation ------------------------------------------------------------------------------------
def _compute(params: Params, inputs) -> list[np.ndarray]:
    x = inputs[0]
    rows = x.reshape(-1, params["depth"])
    if params["input_type"] == "float32":
        out = _softmax_float(rows, params["beta"])
    elif params["input_type"] == "int8":
        out = _softmax_int8(rows, params)
    else:
        out = _softmax_int16(rows, params)
    return [out.reshape(x.shape)]


def _softmax_float(rows: np.ndarray, beta: float) -> np.ndarray:
    row_max = rows.max(axis=1, keepdims=True)
    exps = expf((rows - row_max) * np.float32(beta))
    # TFLM sums left to right in float32; accumulate keeps that order (np.sum would pair terms).
    total = np.add.accumulate(exps, axis=1, dtype=np.float32)[:, -1:]
    return exps / total


def _softmax_int8(rows: np.ndarray, params: Params) -> np.ndarray:
    info = np.iinfo(params["output_type"])
    x = rows.astype(np.int64)
    diff = x - x.max(axis=1, keepdims=True)
    counted = diff >= params["diff_min"]
    # MultiplyByQuantizedMultiplierGreaterThanOne: int32 left shift, then one rounding high multiply.
    scaled_diff = saturating_rounding_doubling_high_mul(
        wrap_int32(diff << params["input_left_shift"]), params["input_multiplier"])
    exps = exp_on_negative_values(scaled_diff, _SCALED_DIFF_INTEGER_BITS)
    in_accumulator = rounding_divide_by_pot(exps, _ACCUMULATION_INTEGER_BITS)
    sum_of_exps = wrap_int32(np.where(counted, in_accumulator, 0).sum(axis=1, keepdims=True))
    headroom_plus_one = count_leading_zeros_u32(sum_of_exps)
    # GetReciprocal: normalise the sum into [1, 2) and take 1/(1+x) of its fractional part.
    normalised_minus_one = wrap_int32(((sum_of_exps << headroom_plus_one) & 0xFFFFFFFF) - (1 << 31))
    reciprocal = one_over_one_plus_x_for_x_in_0_1(normalised_minus_one)
    exponent = (_ACCUMULATION_INTEGER_BITS - headroom_plus_one) + 31 - 8 * np.dtype(params["output_type"]).itemsize
    if exponent.max() > 31:
        raise _overflowing_sum_error(params)
    unsaturated = rounding_divide_by_pot(saturating_rounding_doubling_high_mul(reciprocal, exps), exponent)
    out = np.clip(unsaturated + info.min, info.min, info.max)
    return np.where(counted, out, info.min).astype(params["output_type"])


def _overflowing_sum_error(params: Params) -> ArithmeticError:
    return ArithmeticError(f"SOFTMAX int8->{params['output_type']}: a row's exponentials sum past 2**28, where "
                           "TFLM's TFLITE_CHECK aborts; the reference cannot reproduce that")


def _softmax_int16(rows: np.ndarray, params: Params) -> np.ndarray:
    x = rows.astype(np.int64)
    diff = x - x.max(axis=1, keepdims=True)
    scaled_diff = multiply_by_quantized_multiplier(diff, params["input_multiplier"], params["input_shift"])
    # Recentre [-65535, 0] onto the table's symmetric int16 domain.
    exps = lut_lookup(np.clip(scaled_diff + 32767, -32768, 32767), params["exp_lut"])
    sum_of_exps = wrap_int32(exps.sum(axis=1, keepdims=True))  # Q16.15
    headroom_plus_one = count_leading_zeros_u32(sum_of_exps)
    shifted_sum = ((sum_of_exps << (headroom_plus_one - 1)) + (1 << 13)) >> 14
    # The table computes 1/(1+x): subtract one, then recentre [0, 65535] onto [-32768, 32767].
    reciprocal = lut_lookup(np.clip(shifted_sum - ((1 << 15) + (1 << 16)), -32768, 32767),
                            params["one_over_one_plus_x_lut"])
    right_shift = 31 - headroom_plus_one
    result = (exps * reciprocal + (np.int64(1) << (right_shift - 1))) >> right_shift
    return np.clip(result, 0, 32767).astype(np.int16)


def lut_lookup(value: np.ndarray, lut: np.ndarray) -> np.ndarray:
    """TFLM's LUTLookup for int16: 512 segments of 128 values, linearly interpolated; int16 wrap."""
    value = np.asarray(value, dtype=np.int64)
    index = 256 + (value >> 7)
    offset = value & 0x7F
    table = lut.astype(np.int64)
    base = table[index]
    slope = (table[index + 1] - base).astype(np.int16).astype(np.int64)
    delta = (slope * offset + 64) >> 7
    return (base + delta).astype(np.int16).astype(np.int64)


KERNELS = {"SOFTMAX": Kernel(lower=_lower, compute=_compute)}
