"""Element-wise activations: RELU, RELU6, LEAKY_RELU and HARD_SWISH here; SOFTMAX, LOGISTIC and
TANH live in their own modules and are merged into this family's KERNELS."""
from __future__ import annotations

import numpy as np

from . import Kernel, Params
from .activation_support import check_types, input_and_output, quantization, round_half_away
from .common import unsupported
from .fixedpoint import multiply_by_quantized_multiplier, quantize_multiplier, wrap_int32
from .logistic_tanh import KERNELS as _LOGISTIC_TANH_KERNELS
from .softmax import KERNELS as _SOFTMAX_KERNELS

_SAME_TYPE = {("float32", "float32"), ("int8", "int8"), ("int16", "int16")}


def _float_ratio_multiplier(numerator: np.float32, denominator: np.float32) -> tuple[int, int]:
    """QuantizeMultiplier of a ratio TFLM divides in float32 before widening it to double."""
    return quantize_multiplier(float(np.float32(numerator) / np.float32(denominator)))


def _double_ratio_multiplier(*factors: np.float32, denominator: np.float32) -> tuple[int, int]:
    """QuantizeMultiplier of a ratio of float32 scales that TFLM widens to double first.

    The oracle TFLM build (tflite-micro 8f6596d) does this for RELU and LEAKY_RELU; the mirrored
    source still divides in float32, which gives different multipliers and outputs."""
    product = 1.0
    for factor in factors:
        product *= float(factor)
    return quantize_multiplier(product / float(denominator))


# RELU -------------------------------------------------------------------------------------------
def _lower_relu(op, graph) -> Params:
    dtype, _ = check_types(op, graph, _SAME_TYPE)
    if dtype == "float32":
        return {"dtype": dtype}
    source, result = input_and_output(op, graph)
    in_scale, in_zero_point = quantization(op, source)
    out_scale, out_zero_point = quantization(op, result)
    if dtype == "int16" and (in_zero_point != 0 or out_zero_point != 0):
        raise unsupported(op, f"int16 zero points are {in_zero_point} (input) and {out_zero_point} (output)",
                          "TFLM requires both to be 0")
    multiplier, shift = _double_ratio_multiplier(in_scale, denominator=out_scale)
    info = np.iinfo(dtype)
    return {"dtype": dtype, "input_offset": in_zero_point, "output_offset": out_zero_point,
            "output_multiplier": multiplier, "output_shift": shift,
            # The real lower bound 0 sits at the output zero point; there is no upper bound.
            "activation_min": max(int(info.min), out_zero_point), "activation_max": int(info.max)}


def _compute_relu(params: Params, inputs) -> list[np.ndarray]:
    x = inputs[0]
    if params["dtype"] == "float32":
        return [np.where(x < 0, np.float32(0), x)]
    rescaled = multiply_by_quantized_multiplier(x.astype(np.int64) - params["input_offset"],
                                                params["output_multiplier"], params["output_shift"])
    clamped = np.clip(wrap_int32(rescaled + params["output_offset"]), params["activation_min"],
                      params["activation_max"])
    return [clamped.astype(params["dtype"])]


# RELU6 ------------------------------------------------------------------------------------------
def _lower_relu6(op, graph) -> Params:
    dtype, _ = check_types(op, graph, _SAME_TYPE)
    if dtype == "float32":
        return {"dtype": dtype}
    source, _ = input_and_output(op, graph)
    in_scale, in_zero_point = quantization(op, source)
    # TFLM clamps on the input's scale and ignores the output's quantisation.
    six = int(round_half_away(np.float32(6) / in_scale)) + in_zero_point
    info = np.iinfo(dtype)
    return {"dtype": dtype, "zero": in_zero_point, "six": int(np.clip(six, info.min, info.max))}


def _compute_relu6(params: Params, inputs) -> list[np.ndarray]:
    x = inputs[0]
    if params["dtype"] == "float32":
        lower, upper = np.float32(0), np.float32(6)
    else:
        lower, upper = params["zero"], params["six"]
    return [np.where(x > upper, upper, np.where(x < lower, lower, x)).astype(params["dtype"])]


# LEAKY_RELU -------------------------------------------------------------------------------------
def _lower_leaky_relu(op, graph) -> Params:
    dtype, _ = check_types(op, graph, _SAME_TYPE)
    alpha = np.float32(op.attrs.get("alpha", 0.0))  # TFLM leaves alpha zero when the options are missing
    if dtype == "float32":
        return {"dtype": dtype, "alpha": float(alpha)}
    source, result = input_and_output(op, graph)
    in_scale, in_zero_point = quantization(op, source)
    out_scale, out_zero_point = quantization(op, result)
    alpha_multiplier, alpha_shift = _double_ratio_multiplier(in_scale, alpha, denominator=out_scale)
    identity_multiplier, identity_shift = _double_ratio_multiplier(in_scale, denominator=out_scale)
    return {"dtype": dtype, "input_offset": in_zero_point, "output_offset": out_zero_point,
            "alpha_multiplier": alpha_multiplier, "alpha_shift": alpha_shift,
            "identity_multiplier": identity_multiplier, "identity_shift": identity_shift}


def _compute_leaky_relu(params: Params, inputs) -> list[np.ndarray]:
    x = inputs[0]
    if params["dtype"] == "float32":
        return [np.where(x > 0, x, x * np.float32(params["alpha"]))]
    centred = x.astype(np.int64) - params["input_offset"]
    identity = multiply_by_quantized_multiplier(centred, params["identity_multiplier"], params["identity_shift"])
    # A negative alpha is applied as a positive multiplier and a negation of the product.
    alpha_negative = params["alpha_multiplier"] < 0
    alpha_magnitude = wrap_int32(-params["alpha_multiplier"] if alpha_negative else params["alpha_multiplier"])
    scaled = multiply_by_quantized_multiplier(centred, alpha_magnitude, params["alpha_shift"])
    if alpha_negative:
        scaled = wrap_int32(-scaled)
    out = wrap_int32(params["output_offset"] + np.where(centred >= 0, identity, scaled))
    info = np.iinfo(params["dtype"])
    return [np.clip(out, info.min, info.max).astype(params["dtype"])]


# HARD_SWISH -------------------------------------------------------------------------------------
def _lower_hard_swish(op, graph) -> Params:
    dtype, _ = check_types(op, graph, {("float32", "float32"), ("int8", "int8")})
    if dtype == "float32":
        return {"dtype": dtype}
    source, result = input_and_output(op, graph)
    in_scale, in_zero_point = quantization(op, source)
    out_scale, out_zero_point = quantization(op, result)
    # Inputs are taken 7 bits up ("high-res"); the relu-ish scale maps 3.0 to 32768.
    hires_input_scale = np.float32(1.0 / 128.0) * in_scale
    reluish_scale = np.float32(3.0) / np.float32(32768.0)
    output_multiplier, output_exponent = _float_ratio_multiplier(hires_input_scale, out_scale)
    if output_exponent > 0:
        raise unsupported(op, f"output scale {float(out_scale)!r} is below input scale / 128",
                          "TFLM requires input scale / (128 * output scale) < 1")
    reluish_multiplier, reluish_exponent = _float_ratio_multiplier(hires_input_scale, reluish_scale)
    return {"dtype": dtype, "input_zero_point": in_zero_point, "output_zero_point": out_zero_point,
            "output_multiplier_int16": _downscale_to_int16(output_multiplier), "output_exponent": output_exponent,
            "reluish_multiplier_int16": _downscale_to_int16(reluish_multiplier),
            "reluish_exponent": reluish_exponent}


def _downscale_to_int16(multiplier: int) -> int:
    """DownScaleInt32ToInt16Multiplier: round the Q0.31 multiplier to Q0.15, saturating."""
    if multiplier >= (1 << 31) - 1 - (1 << 15):
        return (1 << 15) - 1
    return (multiplier + (1 << 15)) >> 16


def _wrap_int16(x) -> np.ndarray:
    return np.asarray(x, dtype=np.int64).astype(np.int16).astype(np.int64)


def _c_div_pow2_15(x: np.ndarray) -> np.ndarray:
    """C integer division by 2**15, truncating toward zero."""
    return np.where(x < 0, -((-x) >> 15), x >> 15)


def _rounding_doubling_high_mul_int16(a, b) -> np.ndarray:
    product = np.asarray(a, dtype=np.int64) * b
    high = _c_div_pow2_15(product + np.where(product >= 0, 1 << 14, 1 - (1 << 14)))
    return np.where((a == b) & (a == -32768), 32767, _wrap_int16(high))


def _doubling_high_mul_int16(a, b) -> np.ndarray:
    """Like the rounding variant but truncating; TFLM uses it to cancel the other one's bias."""
    high = _c_div_pow2_15(np.asarray(a, dtype=np.int64) * b)
    return np.where((a == b) & (a == -32768), 32767, _wrap_int16(high))


def _saturating_left_shift_int16(x, amount: int) -> np.ndarray:
    return np.clip(np.asarray(x, dtype=np.int64) << amount, -32768, 32767)


def _rounding_divide_by_pot_int16(x, exponent: int) -> np.ndarray:
    """gemmlowp's RoundingDivideByPOT instantiated on int16: the mask itself is an int16."""
    mask = int(_wrap_int16((1 << exponent) - 1))
    remainder = _wrap_int16(x & mask)
    threshold = _wrap_int16((mask >> 1) + (x < 0))
    return _wrap_int16((x >> exponent) + (remainder > threshold))


def _hard_swish_int8(x: np.ndarray, params: Params) -> np.ndarray:
    hires = _wrap_int16(_wrap_int16(x.astype(np.int64) - params["input_zero_point"]) * (1 << 7))
    on_preshift_output_scale = _rounding_doubling_high_mul_int16(hires, params["output_multiplier_int16"])
    # Rescale to the relu-ish scale; in the left-shift case all but one bit go before the multiply
    # so that any saturation happens in the last shift.
    exponent = params["reluish_exponent"]
    reluish = hires
    if exponent > 0:
        reluish = _saturating_left_shift_int16(reluish, exponent - 1)
    reluish = _rounding_doubling_high_mul_int16(reluish, params["reluish_multiplier_int16"])
    if exponent > 0:
        reluish = _saturating_left_shift_int16(reluish, 1)
    if exponent < 0:
        reluish = _rounding_divide_by_pot_int16(reluish, -exponent)
    reluish = (reluish + (1 << 15)) >> 1  # [-1, 1] -> [0, 1]
    preshift_output = _doubling_high_mul_int16(reluish, on_preshift_output_scale)
    out = _rounding_divide_by_pot_int16(preshift_output, -params["output_exponent"])
    out = _wrap_int16(out + params["output_zero_point"])  # int16 += int16 wraps before the clamp
    return np.clip(out, -128, 127).astype(np.int8)


def _hard_swish_float(x: np.ndarray) -> np.ndarray:
    # x * min(6, max(0, x + 3)) / 6 with std::max/min's comparison order (NaN clamps to 0).
    shifted = x + np.float32(3)
    at_least_zero = np.where(np.float32(0) < shifted, shifted, np.float32(0))
    clamped = np.where(at_least_zero < np.float32(6), at_least_zero, np.float32(6))
    return x * clamped / np.float32(6)


def _compute_hard_swish(params: Params, inputs) -> list[np.ndarray]:
    x = inputs[0]
    if params["dtype"] == "float32":
        return [_hard_swish_float(x)]
    return [_hard_swish_int8(x, params)]


KERNELS = {
    "RELU": Kernel(lower=_lower_relu, compute=_compute_relu),
    "RELU6": Kernel(lower=_lower_relu6, compute=_compute_relu6),
    "LEAKY_RELU": Kernel(lower=_lower_leaky_relu, compute=_compute_leaky_relu),
    "HARD_SWISH": Kernel(lower=_lower_hard_swish, compute=_compute_hard_swish),
    **_SOFTMAX_KERNELS,
    **_LOGISTIC_TANH_KERNELS,
}
