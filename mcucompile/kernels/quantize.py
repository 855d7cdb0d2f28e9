"""QUANTIZE and DEQUANTIZE, as TFLM's reference kernels compute them.

QUANTIZE has two modes. From float32 it is an affine quantisation done in float32 arithmetic
(`round(x / scale) + zero_point`, then clamp). Between integer types it is a requantisation done
entirely in integers with one QuantizeMultiplier'd effective scale (input_scale / output_scale).
DEQUANTIZE multiplies in double and rounds once to float32.

TFLM quantises per tensor only: it rejects a per-channel QUANTIZE output, and for a per-channel
input it silently uses channel 0's scale and zero point, so per-channel tensors are refused here.
"""
from __future__ import annotations

import numpy as np

from ..errors import UnsupportedModelError
from ..ir import Graph, Operator, Tensor
from . import Kernel, Params
from .common import unsupported
from .fixedpoint import INT32_MIN, multiply_by_quantized_multiplier, quantize_multiplier, saturate, wrap_int32

# The (input, output) dtype pairs TFLM's QUANTIZE evaluates; any other pair fails at Eval.
_AFFINE_QUANTIZE_OUTPUTS = {"int8", "int16"}
_REQUANTIZE_PAIRS = {
    ("int8", "int8"), ("int8", "uint8"), ("int8", "int16"), ("int8", "int32"),
    ("uint8", "int8"),
    ("int16", "int8"), ("int16", "int16"), ("int16", "int32"),
    ("int32", "int8"), ("int32", "int16"),
}
_DEQUANTIZE_INPUTS = {"int8", "uint8", "int16"}


def _per_tensor_params(op: Operator, tensor: Tensor, role: str) -> tuple[float, int]:
    """(scale, zero_point) as TFLM's tensor params hold them: float32 scale, int32 zero point,
    and (0.0, 0) for a tensor without quantisation."""
    q = tensor.quantization
    if q is None:
        return 0.0, 0
    if q.per_channel:
        raise unsupported(op, f"per-channel quantisation on its {role} {tensor.name!r} is not supported "
                              "(TFLM's kernel is per-tensor only)", "quantise this tensor per tensor")
    return q.scale, int(wrap_int32(q.zero_point))


def _unsupported_pair(op: Operator, input_dtype: str, output_dtype: str, supported: str) -> UnsupportedModelError:
    return unsupported(op, f"{input_dtype} -> {output_dtype} is not supported by TFLM (supported: {supported})",
                       "re-export the model with a supported type pair")


def _describe(pairs) -> str:
    return ", ".join(f"{a}->{b}" for a, b in sorted(pairs))


# QUANTIZE ------------------------------------------------------------------------------------

def lower_quantize(op: Operator, graph: Graph) -> Params:
    source, = graph.input_tensors(op)
    target, = graph.output_tensors(op)
    supported = _describe({("float32", t) for t in _AFFINE_QUANTIZE_OUTPUTS} | _REQUANTIZE_PAIRS)
    if target.quantization is None:
        raise unsupported(op, f"its output {target.name!r} has no quantisation parameters, which TFLM requires",
                          "re-export the model with a quantised output")
    output_scale, output_zero_point = _per_tensor_params(op, target, "output")
    if output_scale == 0.0:
        raise unsupported(op, f"its output {target.name!r} has scale 0", "re-export the model with a positive scale")
    if source.dtype == "float32" and target.dtype in _AFFINE_QUANTIZE_OUTPUTS:
        return {"mode": "affine", "output_dtype": target.dtype,
                "scale": output_scale, "zero_point": output_zero_point}
    if (source.dtype, target.dtype) not in _REQUANTIZE_PAIRS:
        raise _unsupported_pair(op, source.dtype, target.dtype, supported)
    input_scale, input_zero_point = _per_tensor_params(op, source, "input")
    # Both scales are float32 values; TFLM divides them in double before QuantizeMultiplier.
    multiplier, shift = quantize_multiplier(input_scale / output_scale)
    return {"mode": "requantize", "output_dtype": target.dtype,
            "input_zero_point": input_zero_point, "output_zero_point": output_zero_point,
            "multiplier": multiplier, "shift": shift}


def _round_half_away_from_zero(x: np.ndarray) -> np.ndarray:
    """std::round on float32. Computing floor(|x| + 0.5) would be wrong: the addition itself
    rounds (0.49999997f + 0.5f == 1.0f), whereas x - trunc(x) is exact."""
    whole = np.trunc(x)
    return np.where(np.abs(x - whole) >= 0.5, whole + np.sign(x), whole)


def _float_to_int32_as_x86(x: np.ndarray) -> np.ndarray:
    """static_cast<int32_t>(float) for integral x. Out of range (and NaN) is undefined in C;
    x86, where TFLM runs as the oracle, yields INT32_MIN there (cvttss2si), and so do we."""
    in_range = (x >= -2.0**31) & (x < 2.0**31)
    return np.where(in_range, np.where(in_range, x, 0).astype(np.int64), INT32_MIN)


def _affine_quantize(params: Params, values: np.ndarray) -> np.ndarray:
    """round(x / scale) + zero_point with the division in float32, then clamp to the output type.
    The zero point is added in 32 bits (wrapping) before the clamp, as in TFLM."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        quotient = values.astype(np.float32) / np.float32(params["scale"])
        rounded = _round_half_away_from_zero(quotient)
    shifted = wrap_int32(_float_to_int32_as_x86(rounded) + params["zero_point"])
    return saturate(shifted, params["output_dtype"])


def _requantize(params: Params, values: np.ndarray) -> np.ndarray:
    """(x - input_zp) * effective_scale + output_zp in 32-bit integers, then clamp. TFLM's XOR
    0x80 shortcut for int8<->uint8 at scale 1 and zero-point distance 128 gives the same bytes."""
    centered = wrap_int32(values.astype(np.int64) - params["input_zero_point"])
    scaled = multiply_by_quantized_multiplier(centered, params["multiplier"], params["shift"])
    shifted = wrap_int32(scaled + params["output_zero_point"])
    return saturate(shifted, params["output_dtype"])


def compute_quantize(params: Params, inputs: list[np.ndarray]) -> list[np.ndarray]:
    values = np.asarray(inputs[0])
    if params["mode"] == "affine":
        return [_affine_quantize(params, values)]
    return [_requantize(params, values)]


# DEQUANTIZE ----------------------------------------------------------------------------------

def lower_dequantize(op: Operator, graph: Graph) -> Params:
    source, = graph.input_tensors(op)
    target, = graph.output_tensors(op)
    if source.dtype not in _DEQUANTIZE_INPUTS or target.dtype != "float32":
        raise _unsupported_pair(op, source.dtype, target.dtype,
                                _describe({(t, "float32") for t in _DEQUANTIZE_INPUTS}))
    scale, zero_point = _per_tensor_params(op, source, "input")
    return {"input_dtype": source.dtype, "scale": scale, "zero_point": zero_point}


def compute_dequantize(params: Params, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """scale * (q - zero_point) in double, rounded once to float32. The double product of a
    float32 scale and a 17-bit integer is exact, so only the final conversion rounds; a float32
    multiply rounds that same exact product once, so it gives identical bits."""
    centered = wrap_int32(np.asarray(inputs[0]).astype(np.int64) - params["zero_point"])
    with np.errstate(over="ignore"):
        return [(np.float64(params["scale"]) * centered.astype(np.float64)).astype(np.float32)]


KERNELS = {
    "QUANTIZE": Kernel(lower=lower_quantize, compute=compute_quantize),
    "DEQUANTIZE": Kernel(lower=lower_dequantize, compute=compute_dequantize),
}
