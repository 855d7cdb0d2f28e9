"""Helpers every kernel family shares: the one-line error for what TFLM cannot run, the dtype
checks of the weighted operators, and the fused-activation clamp that kernel_util's
CalculateActivationRange / CalculateActivationRangeQuantized set up."""
from __future__ import annotations

import math

import numpy as np

from ..errors import UnsupportedModelError
from ..ir import Operator, Tensor
from .fixedpoint import INT32_MAX, INT32_MIN, tflite_round

FLOAT32_LOWEST = float(np.finfo(np.float32).min)
FLOAT32_MAX = float(np.finfo(np.float32).max)

# Real-valued bounds of each clamping activation (None: no bound). TANH, SIGN_BIT and NONE clamp nothing.
_ACTIVATION_BOUNDS = {"RELU": (0.0, None), "RELU6": (0.0, 6.0), "RELU_N1_TO_1": (-1.0, 1.0)}

# The weights dtype TFLM's weighted operators read for each activation dtype (16x8: int8 weights).
_WEIGHTS_DTYPES = {"float32": "float32", "int8": "int8", "int16": "int8"}


def unsupported(op: Operator, problem: str, remedy: str) -> UnsupportedModelError:
    return UnsupportedModelError(f"{op.kind} #{op.index}: {problem}; {remedy}")


def check_weighted_dtypes(op: Operator, input_: Tensor, weights: Tensor, bias: Tensor | None, output: Tensor,
                          bias_dtypes: dict[str, tuple[str, ...]]) -> None:
    """The dtype combinations a weighted operator's Prepare accepts: float32, int8, or int16
    activations with int8 weights; `bias_dtypes` gives the bias dtypes read per activation dtype."""
    if input_.dtype not in _WEIGHTS_DTYPES:
        raise unsupported(op, f"{input_.dtype} input is not supported by TFLM",
                          "use float32, int8 or int16 (16x8) activations")
    if output.dtype != input_.dtype:
        raise unsupported(op, f"{input_.dtype} input with {output.dtype} output", "input and output types must match")
    wanted = _WEIGHTS_DTYPES[input_.dtype]
    if weights.dtype != wanted:
        raise unsupported(op, f"{weights.dtype} weights with {input_.dtype} input",
                          f"use {wanted} weights (int4 weights and hybrid float/int8 models are not supported)")
    allowed = bias_dtypes[input_.dtype]
    if bias is not None and bias.dtype not in allowed:
        raise unsupported(op, f"{bias.dtype} bias with {input_.dtype} input", f"use a {' or '.join(allowed)} bias")


def require_quantization(op: Operator, **tensors: Tensor) -> None:
    """Every tensor, keyed by its role, must carry the scale and zero point TFLM reads."""
    for role, tensor in tensors.items():
        if tensor.quantization is None:
            raise unsupported(op, f"the {role} tensor has no quantisation parameters", "quantise the model fully")


def fused_activation(op: Operator) -> str:
    return op.attrs.get("fused_activation_function", "NONE")


def _activation_range(activation: str, cast, lowest, highest) -> tuple:
    """CalculateActivationRange<T>: the activation's bounds as T, the type's limits where it has none."""
    low, high = _ACTIVATION_BOUNDS.get(activation, (None, None))
    return (lowest if low is None else cast(low)), (highest if high is None else cast(high))


def float_activation_range(activation: str) -> tuple[float, float]:
    return _activation_range(activation, float, FLOAT32_LOWEST, FLOAT32_MAX)


def int32_activation_range(activation: str) -> tuple[int, int]:
    """The bounds are plain integers (0, 6, ...), not quantised values."""
    return _activation_range(activation, int, INT32_MIN, INT32_MAX)


def _quantize_bound(op: Operator, output: Tensor, value: float) -> int:
    """kernel_util's Quantize(): value / scale in float32, std::round, then the zero point added.
    TFLM's check lets a quotient of exactly 2**31 through to an undefined int32 cast (x86 yields
    INT32_MIN, so its output no longer follows the bound); that is refused with the rest."""
    scale = output.quantization.scale
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        quotient = float(np.float32(value) / np.float32(scale))
    rounded = tflite_round(quotient) if math.isfinite(quotient) else quotient
    if not INT32_MIN <= rounded <= INT32_MAX:
        raise unsupported(op, f"the fused activation bound {value} does not fit int32 at output scale {scale}",
                          "requantise the model with a larger output scale")
    return output.quantization.zero_point + int(rounded)


def quantized_activation_range(op: Operator, output: Tensor) -> tuple[int, int]:
    """CalculateActivationRangeQuantized: the bounds in the int8/int16 output's quantised units."""
    info = np.iinfo(output.dtype)
    qmin, qmax = int(info.min), int(info.max)
    low, high = _ACTIVATION_BOUNDS.get(fused_activation(op), (None, None))
    act_min = qmin if low is None else max(qmin, _quantize_bound(op, output, low))
    act_max = qmax if high is None else min(qmax, _quantize_bound(op, output, high))
    return act_min, act_max


def clamp_like_c(x: np.ndarray, low, high) -> np.ndarray:
    """std::min(std::max(x, low), high) on float32: a NaN passes through unclamped and ties keep
    C's choice of operand (-0.0 stays -0.0 against a bound of 0.0)."""
    low, high = np.float32(low), np.float32(high)
    raised = np.where(x < low, low, x)
    return np.where(high < raised, high, raised).astype(np.float32)
