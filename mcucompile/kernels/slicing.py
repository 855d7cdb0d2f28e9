"""PAD and STRIDED_SLICE: copies whose index ranges are resolved at lowering time, the way TFLM's
Prepare resolves them, so the computation (and the C emitter) only walks plain ranges."""
from __future__ import annotations

import numpy as np

from . import Kernel, Params
from ..ir import Graph, Operator
from .common import unsupported
from .shape_checks import (constant_int32, per_tensor_quantization, product, require_arity, require_dtype,
                           require_same_dtype)

_PAD_DTYPES = frozenset({"float32", "int8", "int16", "int32"})
_PAD_MAX_RANK = 5
_STRIDED_SLICE_DTYPES = frozenset({"float32", "int8", "int16", "int32", "bool"})
_STRIDED_SLICE_MAX_RANK = 4


# -- PAD ----------------------------------------------------------------------------------------
def _pad_value(op: Operator, graph: Graph) -> np.ndarray | None:
    """The fill value as a 0-d array of the output dtype, or None when a non-constant third input
    supplies it at run time. Without that input int8 pads with the output zero point, others with 0."""
    output = graph.tensors[op.outputs[0]]
    given = graph.tensor(op.inputs[2]) if len(op.inputs) == 3 else None
    if given is None:
        zero_point = per_tensor_quantization(output)[1] if output.dtype == "int8" else 0
        if not -128 <= zero_point <= 127:
            raise unsupported(op, f"the output zero point {zero_point} lies outside int8", "re-quantise the model")
        return np.array(zero_point, dtype=output.dtype)
    require_same_dtype(op, given, output)
    if given.num_elements != 1:
        raise unsupported(op, f"the constant_values tensor has {given.num_elements} elements, TFLM needs 1",
                          "pass a scalar pad value")
    if output.dtype == "int8" and per_tensor_quantization(given) != per_tensor_quantization(output):
        raise unsupported(op, "the int8 pad value is quantised differently from the output",
                          "give constant_values the output's scale and zero point")
    return None if given.data is None else given.data.reshape(()).copy()


def _lower_pad(op: Operator, graph: Graph) -> Params:
    require_arity(op, (2, 3))
    source, target = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    require_dtype(op, source, _PAD_DTYPES)
    require_same_dtype(op, source, target)
    rank = len(source.shape)
    if rank > _PAD_MAX_RANK:
        raise unsupported(op, f"the input has rank {rank}, TFLM pads at most rank {_PAD_MAX_RANK}",
                          "reshape to at most 5 dimensions first")
    paddings = constant_int32(op, graph, 1, "paddings")
    if len(target.shape) != rank or paddings.size != 2 * rank:
        raise unsupported(op, f"paddings hold {paddings.size} values for input rank {rank} and output rank "
                              f"{len(target.shape)}; TFLM needs one (before, after) pair per dimension",
                          "re-export the model")
    left, right = tuple(int(p) for p in paddings[0::2]), tuple(int(p) for p in paddings[1::2])
    if np.any(paddings < 0):
        raise unsupported(op, f"paddings {paddings.reshape(-1, 2).tolist()} contain a negative value",
                          "use STRIDED_SLICE to crop")
    if any(s + l + r != t for s, l, r, t in zip(source.shape, left, right, target.shape)):
        raise unsupported(op, f"the output shape {list(target.shape)} is not the input shape "
                              f"{list(source.shape)} plus paddings {paddings.reshape(-1, 2).tolist()}",
                          "re-export the model")
    return {"dtype": source.dtype, "input_shape": source.shape, "output_shape": target.shape,
            "left_padding": left, "right_padding": right, "pad_value": _pad_value(op, graph)}


def _compute_pad(params: Params, inputs) -> list[np.ndarray]:
    value = params["pad_value"] if params["pad_value"] is not None else np.asarray(inputs[2]).reshape(-1)[0]
    padded = np.full(params["output_shape"], value, dtype=params["dtype"])
    interior = tuple(slice(before, before + size) for before, size in zip(params["left_padding"],
                                                                           params["input_shape"]))
    padded[interior] = np.asarray(inputs[0]).reshape(params["input_shape"])
    return [padded]


# -- STRIDED_SLICE --------------------------------------------------------------------------------
# TFLM's Prepare copies only begin/end/shrink_axis_mask: ellipsis_mask, new_axis_mask and offset
# are dropped, so they are ignored here too; the output-shape check below then rejects every
# model whose declared shape relied on them.

def _slice_start(begin: int, stride: int, size: int, masked: bool) -> int:
    """First index visited on one axis, as TFLM's evaluation computes it."""
    if masked:
        return 0 if stride > 0 else size - 1
    begin = begin + size if begin < 0 else begin
    return min(max(begin, 0), size) if stride > 0 else min(max(begin, -1), size - 1)


def _slice_stop(end: int, stride: int, size: int, start: int, masked: bool, shrink: bool) -> int:
    """Exclusive bound of the loop on one axis; a shrunk axis visits start alone, or nothing past the end."""
    if shrink:
        return start if start >= size else start + 1
    if masked:
        return size if stride > 0 else -1
    end = end + size if end < 0 else end
    return min(max(end, 0), size) if stride > 0 else min(max(end, -1), size - 1)


def _visit_count(start: int, stop: int, stride: int) -> int:
    return len(range(start, stop, stride))


def _resolve_slice(op: Operator, graph: Graph, shape: tuple[int, ...]):
    begins = constant_int32(op, graph, 1, "begin")
    ends = constant_int32(op, graph, 2, "end")
    strides = constant_int32(op, graph, 3, "strides")
    rank = len(shape)
    if min(begins.size, ends.size, strides.size) < rank:
        raise unsupported(op, f"begin, end and strides need {rank} values each for a rank-{rank} input",
                          "re-export the model")
    if np.any(strides[:rank] == 0):
        raise unsupported(op, "a stride is zero", "fix strides")
    begin_mask, end_mask = op.attrs.get("begin_mask", 0), op.attrs.get("end_mask", 0)
    shrink_mask = op.attrs.get("shrink_axis_mask", 0)
    starts, stops, steps, kept_shape = [], [], [], []
    for axis, size in enumerate(shape):
        stride = int(strides[axis])
        shrink = bool(shrink_mask >> axis & 1)
        start = _slice_start(int(begins[axis]), stride, size, bool(begin_mask >> axis & 1))
        stop = _slice_stop(int(ends[axis]), stride, size, start, bool(end_mask >> axis & 1), shrink)
        starts.append(start)
        stops.append(stop)
        steps.append(stride)
        if not shrink:
            kept_shape.append(_visit_count(start, stop, stride))
    return tuple(starts), tuple(stops), tuple(steps), tuple(kept_shape)


def _lower_strided_slice(op: Operator, graph: Graph) -> Params:
    require_arity(op, (4,))
    source, target = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    require_dtype(op, source, _STRIDED_SLICE_DTYPES)
    require_same_dtype(op, source, target)
    if len(source.shape) > _STRIDED_SLICE_MAX_RANK:
        raise unsupported(op, f"the input has rank {len(source.shape)}, TFLM slices at most rank "
                              f"{_STRIDED_SLICE_MAX_RANK}", "reshape to at most 4 dimensions first")
    starts, stops, strides, kept_shape = _resolve_slice(op, graph, source.shape)
    if target.shape != kept_shape:
        ignored = [m for m in ("ellipsis_mask", "new_axis_mask", "offset") if op.attrs.get(m)]
        note = f" (TFLM ignores {', '.join(ignored)})" if ignored else ""
        raise unsupported(op, f"the output shape {list(target.shape)} differs from the slice TFLM takes, "
                              f"{list(kept_shape)}{note}", "re-export the model")
    visited = product([_visit_count(*axis) for axis in zip(starts, stops, strides)])
    if visited != target.num_elements:
        raise unsupported(op, "a shrunk axis selects no element (its begin is out of range or its stride "
                              "negative), so TFLM leaves the output unwritten", "fix begin or strides")
    return {"dtype": source.dtype, "input_shape": source.shape, "output_shape": target.shape,
            "starts": starts, "stops": stops, "strides": strides}


def _compute_strided_slice(params: Params, inputs) -> list[np.ndarray]:
    source = np.asarray(inputs[0]).reshape(params["input_shape"])
    visited = [np.arange(start, stop, stride)
               for start, stop, stride in zip(params["starts"], params["stops"], params["strides"])]
    return [source[np.ix_(*visited)].reshape(params["output_shape"])]


KERNELS = {
    "PAD": Kernel(lower=_lower_pad, compute=_compute_pad),
    "STRIDED_SLICE": Kernel(lower=_lower_strided_slice, compute=_compute_strided_slice),
}
