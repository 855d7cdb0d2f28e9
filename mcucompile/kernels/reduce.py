"""MEAN, as TFLM's reduce kernels compute it.

Float32 sums each output's cells in the input's row-major order, starting from +0.0, and divides
by the cell count converted to float. TFLM's special case for a 4-D mean over axes 1 and 2 with
keep_dims sums in that same order and divides by the same float count, so one path serves both.

int8 and int16 sum into int32 and requantise once: TFLM folds 1/count into the input-to-output
multiplier (QuantizedMeanOrSum), whether or not the output quantisation differs from the input's.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator
from . import Kernel, Params
from .common import unsupported
from .fixedpoint import multiply_by_quantized_multiplier, quantize_multiplier, saturate, wrap_int32

_SUPPORTED = ("float32", "int8", "int16")


# Lowering ------------------------------------------------------------------------------------

def _constant_axes(op: Operator, graph: Graph) -> list[int]:
    axis_tensor = graph.tensor(op.inputs[1]) if len(op.inputs) > 1 else None
    if axis_tensor is None or axis_tensor.dtype != "int32":
        raise unsupported(op, "the axis must be an int32 tensor (TFLM requires it)", "reconvert the model")
    if not axis_tensor.is_constant:
        raise unsupported(op, "the axis tensor is computed at run time",
                          "mcucompile needs constant axes, so fold them when converting")
    return [int(a) for a in axis_tensor.data.ravel()]


def _resolve_axes(op: Operator, axes: list[int], rank: int) -> tuple[int, ...]:
    """ResolveAxis: negative axes count from the end, duplicates are dropped; a scalar input
    reduces nothing. Returned in increasing order, the order TFLM's row-major walk visits them."""
    if rank == 0:
        return ()
    resolved = []
    for axis in axes:
        current = axis + rank if axis < 0 else axis
        if not 0 <= current < rank:
            raise unsupported(op, f"axis {axis} is out of range for a {rank}-D input", "fix the model's axis tensor")
        if current not in resolved:
            resolved.append(current)
    return tuple(sorted(resolved))


def _mean_multiplier(input_scale: float, output_scale: float, count: int) -> tuple[int, int]:
    """Prepare's input/output multiplier, then Eval's folding of 1/count into it: multiply by
    2**shift and divide by count (integer), with shift = floor(log2(count)) clamped so that the
    final shift stays >= -31."""
    multiplier, shift = quantize_multiplier(float(input_scale) / float(output_scale))
    count_shift = min(count.bit_length() - 1, 32, 31 + shift)
    return (multiplier << count_shift) // count, shift - count_shift


def _lower_mean(op: Operator, graph: Graph) -> Params:
    input_tensor = graph.tensors[op.inputs[0]]
    output_tensor = graph.tensors[op.outputs[0]]
    dtype = input_tensor.dtype
    if dtype not in _SUPPORTED:
        raise unsupported(op, f"TFLM's MEAN supports float32, int8 and int16, not {dtype}",
                          "convert the model to one of those types")
    if output_tensor.dtype != dtype:
        raise unsupported(op, f"output type {output_tensor.dtype} differs from input type {dtype}",
                          "TFLM needs them equal")
    shape = tuple(int(d) for d in input_tensor.shape)
    if 0 in shape:
        raise unsupported(op, f"the input shape {list(shape)} is empty",
                          "remove the operator or give the tensor a non-zero size")
    axes = _resolve_axes(op, _constant_axes(op, graph), len(shape))
    kept = tuple(d for d in range(len(shape)) if d not in axes)
    count = int(np.prod([shape[d] for d in axes], dtype=np.int64))
    num_outputs = int(np.prod([shape[d] for d in kept], dtype=np.int64))
    if output_tensor.num_elements != num_outputs:
        raise unsupported(op, f"output shape {list(output_tensor.shape)} does not hold the {num_outputs} means "
                              f"of input {list(shape)} over axes {list(axes)}", "reconvert the model")
    params: Params = {
        "dtype": dtype,
        "input_shape": shape,
        "axes": axes,
        "output_shape": tuple(int(d) for d in output_tensor.shape),
        "count": count,
    }
    if dtype != "float32":
        input_q, output_q = input_tensor.quantization, output_tensor.quantization
        if input_q is None or output_q is None:
            raise unsupported(op, "quantised input and output need quantisation parameters", "reconvert the model")
        multiplier, shift = _mean_multiplier(input_q.scale, output_q.scale, count)
        params.update(input_zero_point=input_q.zero_point, output_zero_point=output_q.zero_point,
                      multiplier=multiplier, shift=shift)
    return params


# Computation ---------------------------------------------------------------------------------

def _cells_per_output(params: Params, x: np.ndarray) -> np.ndarray:
    """(outputs, count) view: kept axes first, reduced axes last, both in increasing order, so
    each row lists one output's cells in TFLM's row-major visiting order."""
    axes = params["axes"]
    kept = tuple(d for d in range(x.ndim) if d not in axes)
    return x.transpose(kept + axes).reshape(-1, params["count"])


def _mean_float(params: Params, x: np.ndarray) -> np.ndarray:
    cells = _cells_per_output(params, x)
    # add.accumulate adds strictly left to right in float32 (no pairwise reordering). Adding +0.0
    # afterwards reproduces TFLM starting from +0.0: the two differ only when every cell is -0.0.
    total = np.add.accumulate(cells, axis=1, dtype=np.float32)[:, -1] + np.float32(0.0)
    return total / np.float32(params["count"])


def _mean_quantized(params: Params, x: np.ndarray) -> np.ndarray:
    cells = _cells_per_output(params, x.astype(np.int64))
    total = wrap_int32(cells.sum(axis=1))  # TFLM's int32 accumulator
    centred = wrap_int32(total - params["input_zero_point"] * params["count"])
    scaled = multiply_by_quantized_multiplier(centred, params["multiplier"], params["shift"])
    return saturate(wrap_int32(scaled + params["output_zero_point"]), params["dtype"])


def _compute_mean(params: Params, inputs) -> list[np.ndarray]:
    x = np.asarray(inputs[0]).reshape(params["input_shape"])
    mean = _mean_float(params, x) if params["dtype"] == "float32" else _mean_quantized(params, x)
    return [mean.reshape(params["output_shape"])]


KERNELS = {
    "MEAN": Kernel(lower=_lower_mean, compute=_compute_mean),
}
