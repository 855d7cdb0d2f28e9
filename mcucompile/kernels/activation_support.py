"""Helpers shared by the activation kernels: reading an operator's single input and output the way
TFLM's Prepare reads them, and float32 arithmetic as C computes it on float operands."""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator, Tensor
from .common import unsupported


def input_and_output(op: Operator, graph: Graph) -> tuple[Tensor, Tensor]:
    return graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]


def check_types(op: Operator, graph: Graph, supported: set[tuple[str, str]]) -> tuple[str, str]:
    """The (input, output) dtype pair, if TFLM's kernel has a path for it."""
    source, result = input_and_output(op, graph)
    pair = (source.dtype, result.dtype)
    if pair not in supported:
        listed = ", ".join(sorted(f"{a}->{b}" for a, b in supported))
        raise unsupported(op, f"{pair[0]} input with {pair[1]} output is not supported by TFLM",
                          f"use one of {listed}")
    return pair


def quantization(op: Operator, tensor: Tensor) -> tuple[np.float32, int]:
    """(scale as float32, zero point) of a per-tensor quantised tensor."""
    q = tensor.quantization
    if q is None or len(q.scales) == 0:
        raise unsupported(op, f"{tensor.dtype} tensor {tensor.name!r} has no quantisation parameters",
                          "quantise the model fully (scale and zero point on every integer tensor)")
    return np.float32(q.scales[0]), q.zero_point


def round_half_away(x) -> np.ndarray:
    """std::round on float32 values. Done in float64, where |x| + 0.5 is exact."""
    wide = np.asarray(x, dtype=np.float64)
    return (np.sign(wide) * np.floor(np.abs(wide) + 0.5)).astype(np.float32)


def expf(x) -> np.ndarray:
    """exp of float32 arguments rounded once to float32, as a correctly rounding libm expf does."""
    with np.errstate(over="ignore"):  # overflow to inf, as expf does
        return np.exp(np.asarray(x, dtype=np.float64)).astype(np.float32)


def checked_log2(x: np.float32) -> tuple[bool, int]:
    """TFLM's CheckedLog2: float32 log(x) / log(2), rounded; True when x is a power of two."""
    log2 = np.float32(np.log(np.float64(x))) * (np.float32(1) / np.float32(np.log(np.float64(2))))
    rounded = round_half_away(log2)
    return bool(abs(log2 - rounded) < np.float32(1e-3)), int(rounded)
