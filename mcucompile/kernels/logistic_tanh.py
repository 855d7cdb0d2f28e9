"""LOGISTIC and TANH as TFLM computes them.

int8: the input is rescaled to Q4.27 and fed to gemmlowp's fixed-point logistic/tanh; inputs
beyond the radius where the result saturates go straight to the int8 limits.
int16: the input is rescaled so that 2**9 (LOGISTIC) or 2**8 (TANH) steps span 1/24 of the real
axis, then TFLM's 256-entry sigmoid table is interpolated (tanh(x) = 2 * sigmoid(2x) - 1).
float32: libm exp / tanh in float, with TFLM's cut-offs for LOGISTIC.
"""
from __future__ import annotations

import math

import numpy as np

from . import Kernel, Params
from . import gemmlowp_math
from .activation_support import check_types, checked_log2, expf, input_and_output, quantization
from .common import unsupported
from .fixedpoint import multiply_by_quantized_multiplier, rounding_divide_by_pot, tflite_round, wrap_int32

_SUPPORTED = {("float32", "float32"), ("int8", "int8"), ("int16", "int16")}
_INT8_INPUT_INTEGER_BITS = 4
_INT16_INPUT_INTEGER_BITS = 3
_OUTPUT_FRACTIONAL_BITS = 15

# sigmoid(i / 24) in Q0.16 for i = 0 .. 255: the values of TFLM's sigmoid_table_uint16 (tensorflow/lite/
# kernels/internal/common.h, Apache-2.0). They are data the int16 kernels must index exactly; no
# single rounding formula reproduces them, so they are kept verbatim.
_SIGMOID_TABLE_UINT16 = np.array([
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432,
    42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475,
    49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485,
    55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519,
    59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036,
    62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308, 64357, 64405,
    64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179,
    65194, 65208, 65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337,
    65345, 65352, 65360, 65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425,
    65429, 65433, 65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516, 65517,
    65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524, 65525, 65525,
    65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533,
    65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535
], dtype=np.int64)

_LOGISTIC_UPPER_CUTOFF = np.float32(16.619047164916992188)
_LOGISTIC_LOWER_CUTOFF = np.float32(-9.0)


# Lowering ---------------------------------------------------------------------------------------
def _lower_logistic(op, graph) -> Params:
    return _lower(op, graph, is_tanh=False)


def _lower_tanh(op, graph) -> Params:
    return _lower(op, graph, is_tanh=True)


def _lower(op, graph, is_tanh: bool) -> Params:
    dtype, _ = check_types(op, graph, _SUPPORTED)
    if dtype == "int8":
        return {"dtype": dtype, **_int8_params(op, graph, is_tanh)}
    if dtype == "int16":
        return {"dtype": dtype, **_int16_params(op, graph, is_tanh)}
    return {"dtype": dtype}


def _int8_params(op, graph, is_tanh: bool) -> Params:
    source, result = input_and_output(op, graph)
    in_scale, in_zero_point = quantization(op, source)
    _, out_zero_point = quantization(op, result)
    # TFLM checks only LOGISTIC's output zero point; both kernels assume scale 1/256 resp. 1/128.
    if not is_tanh and out_zero_point != -128:
        raise unsupported(op, f"the int8 output has zero point {out_zero_point}", "TFLM requires -128")
    fraction, left_shift = math.frexp(float(in_scale) * float(1 << (31 - _INT8_INPUT_INTEGER_BITS)))
    if left_shift < 0:
        raise unsupported(op, f"input scale {float(in_scale)!r} is below 2**-28, where TFLM's input radius is "
                              "undefined", "requantise the input with a larger scale")
    # CalculateInputRadius: beyond it the Q4.27 input would overflow and the output saturates.
    radius = int(np.floor(((1 << _INT8_INPUT_INTEGER_BITS) - 1) * float(1 << (31 - _INT8_INPUT_INTEGER_BITS))
                          / float(1 << left_shift)))
    return {"input_zero_point": in_zero_point, "input_multiplier": int(tflite_round(fraction * (1 << 31))),
            "input_shift": left_shift, "input_range_radius": radius}


def _int16_params(op, graph, is_tanh: bool) -> Params:
    source, result = input_and_output(op, graph)
    in_scale, in_zero_point = quantization(op, source)
    out_scale, out_zero_point = quantization(op, result)
    if in_zero_point != 0 or out_zero_point != 0:
        raise unsupported(op, f"int16 zero points are {in_zero_point} (input) and {out_zero_point} (output)",
                          "TFLM requires both to be 0")
    out_is_power_of_two, out_log2 = checked_log2(out_scale)
    if not out_is_power_of_two or out_log2 != -_OUTPUT_FRACTIONAL_BITS:
        raise unsupported(op, f"the int16 output scale is {float(out_scale)!r}", "TFLM requires 2**-15")
    multiplier, left_shift = _int16_input_rescale(in_scale, is_tanh)
    return {"input_multiplier": multiplier, "input_left_shift": left_shift}


def _int16_input_rescale(in_scale: np.float32, is_tanh: bool) -> tuple[int, int]:
    """Multiplier and right shift taking the input to the table's scale, 1 / (3 * 4096)."""
    is_power_of_two, log2 = checked_log2(in_scale)
    left_shift = (15 - _INT16_INPUT_INTEGER_BITS) + log2
    if is_power_of_two and left_shift in ((0, 1) if is_tanh else (0,)):
        # The power-of-two case: TFLM's Eval multiplies by 3 << shift and shifts nothing.
        return 3 << left_shift, 0
    multiplier = float(in_scale) * 4096.0 * 3.0
    right_shift = 0
    while multiplier <= 32767.0 / 2.0 and right_shift <= 30:
        right_shift += 1
        multiplier *= 2.0
    return int(multiplier), right_shift


# Computation ------------------------------------------------------------------------------------
def _compute_logistic(params: Params, inputs) -> list[np.ndarray]:
    x = inputs[0]
    if params["dtype"] == "int8":
        return [_int8(x, params, _int8_logistic)]
    if params["dtype"] == "int16":
        return [_logistic_int16(_int16_on_table_scale(x, params))]
    return [_logistic_float(x)]


def _compute_tanh(params: Params, inputs) -> list[np.ndarray]:
    x = inputs[0]
    if params["dtype"] == "int8":
        return [_int8(x, params, _int8_tanh)]
    if params["dtype"] == "int16":
        return [_tanh_int16(_int16_on_table_scale(x, params))]
    return [np.tanh(x.astype(np.float64)).astype(np.float32)]


def _int8(x: np.ndarray, params: Params, function) -> np.ndarray:
    centred = x.astype(np.int64) - params["input_zero_point"]
    in_q4 = multiply_by_quantized_multiplier(centred, params["input_multiplier"], params["input_shift"])
    out = function(in_q4)
    radius = params["input_range_radius"]
    out = np.where(centred <= -radius, -128, np.where(centred >= radius, 127, out))
    return out.astype(np.int8)


def _int8_logistic(in_q4: np.ndarray) -> np.ndarray:
    out_q0 = gemmlowp_math.logistic(in_q4, _INT8_INPUT_INTEGER_BITS)
    return np.clip(rounding_divide_by_pot(out_q0, 23) - 128, -128, 127)  # Q0.31 -> 1/256 steps, zp -128


def _int8_tanh(in_q4: np.ndarray) -> np.ndarray:
    out_q0 = gemmlowp_math.tanh(in_q4, _INT8_INPUT_INTEGER_BITS)
    return np.clip(rounding_divide_by_pot(out_q0, 24), -128, 127)  # Q0.31 -> 1/128 steps, zp 0


def _int16_on_table_scale(x: np.ndarray, params: Params) -> np.ndarray:
    right_shift = params["input_left_shift"]  # TFLM's name; it shifts right
    rounding = (1 << (right_shift - 1)) if right_shift > 0 else 0
    return wrap_int32(x.astype(np.int64) * params["input_multiplier"] + rounding) >> right_shift


def _interpolate_sigmoid(magnitude: np.ndarray, fraction_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Table segment and linear interpolation in Q(16 + fraction_bits); also where it saturates."""
    segment = magnitude >> fraction_bits
    saturated = segment >= 255
    segment = np.minimum(segment, 254)
    low = _SIGMOID_TABLE_UINT16[segment]
    high = _SIGMOID_TABLE_UINT16[segment + 1]
    fraction = magnitude & ((1 << fraction_bits) - 1)
    return (low << fraction_bits) + fraction * (high - low), saturated


def _logistic_int16(v: np.ndarray) -> np.ndarray:
    interpolated, saturated = _interpolate_sigmoid(np.abs(v), 9)
    result = np.where(saturated, 0x7FFF << 10, interpolated)
    # sigmoid(-x) = 1 - sigmoid(x); uint32 arithmetic, rounding to Q0.15.
    result = np.where(v >= 0, result + (1 << 9), (1 << 25) - result + (1 << 9) - 1)
    return ((result & 0xFFFFFFFF) >> 10).astype(np.int16)


def _tanh_int16(v: np.ndarray) -> np.ndarray:
    interpolated, saturated = _interpolate_sigmoid(np.abs(v), 8)
    result = np.where(saturated, 0xFFFF << 8, interpolated)
    # 2 * sigmoid - 1, odd-symmetric, rounding to Q0.15 with an arithmetic shift.
    result = np.where(v >= 0, result - (1 << 23) + (1 << 7), -result + (1 << 23) + (1 << 7) - 1)
    return (result >> 8).astype(np.int16)


def _logistic_float(x: np.ndarray) -> np.ndarray:
    one = np.float32(1)
    middle = one / (one + expf(-x))
    return np.where(x > _LOGISTIC_UPPER_CUTOFF, one, np.where(x < _LOGISTIC_LOWER_CUTOFF, expf(x), middle))


KERNELS = {
    "LOGISTIC": Kernel(lower=_lower_logistic, compute=_compute_logistic),
    "TANH": Kernel(lower=_lower_tanh, compute=_compute_tanh),
}
