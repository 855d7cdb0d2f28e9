"""Shape operators: they only move bytes, so every supported dtype is trivially bit-exact once the
layout matches TFLM's. PAD and STRIDED_SLICE live in slicing.py and are merged in here."""
from __future__ import annotations

import numpy as np

from . import Kernel, Params
from ..ir import Graph, Operator
from .common import unsupported
from .shape_checks import (ANY_FIXED_SIZE, constant_int32, per_tensor_quantization, product, require_arity,
                           require_dtype, require_fixed_shape, require_same_dtype)
from .slicing import KERNELS as SLICING_KERNELS

_EXPAND_DIMS_DTYPES = frozenset({"float32", "int8", "int16"})
_CONCATENATION_DTYPES = frozenset({"float32", "int8", "int16", "int32", "int64", "bool"})
_SPLIT_DTYPES = frozenset({"float32", "int8", "int16", "int32"})
_TRANSPOSE_DTYPES = frozenset({"float32", "int8", "int16"})
_MAX_SQUEEZE_DIMS = 8  # TfLiteSqueezeParams holds 8 dims; TFLM rejects larger inputs
_MAX_RESHAPE_DIMS = 8  # TfLiteReshapeParams holds 8 dims; a longer new_shape fails to parse
_MAX_CONCAT_INPUTS = 10
_MAX_CONCAT_RANK = 6  # RuntimeShape::kMaxSmallSize
_MAX_TRANSPOSE_RANK = 5


# -- byte copies: RESHAPE, SQUEEZE, EXPAND_DIMS ---------------------------------------------
def _copy_params(op: Operator, graph: Graph, allowed) -> Params:
    """The checks every pure-copy operator shares; the output is the input's bytes, reshaped."""
    source, target = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    require_dtype(op, source, allowed)
    require_same_dtype(op, source, target)
    require_fixed_shape(op, target)
    if source.num_elements != target.num_elements:
        raise unsupported(op, f"input shape {list(source.shape)} and output shape {list(target.shape)} hold "
                              "different element counts", "re-export the model")
    return {"dtype": target.dtype, "output_shape": target.shape}


def _lower_reshape(op: Operator, graph: Graph) -> Params:
    require_arity(op, (1, 2))
    # TFLM ignores new_shape and the shape input: the output tensor's declared shape decides.
    if len(op.attrs.get("new_shape") or ()) > _MAX_RESHAPE_DIMS:
        raise unsupported(op, f"new_shape has more than {_MAX_RESHAPE_DIMS} dimensions", "reduce the rank")
    if len(op.inputs) == 1 and graph.tensors[op.outputs[0]].shape == (0,):
        raise unsupported(op, "uses the legacy [0] output shape for a scalar",
                          "re-export the model with a scalar output shape []")
    return _copy_params(op, graph, ANY_FIXED_SIZE)


def _lower_squeeze(op: Operator, graph: Graph) -> Params:
    require_arity(op, (1,))
    shape = graph.tensors[op.inputs[0]].shape
    if len(shape) > _MAX_SQUEEZE_DIMS:
        raise unsupported(op, f"the input has rank {len(shape)}, TFLM squeezes at most rank {_MAX_SQUEEZE_DIMS}",
                          "reduce the rank")
    requested = list(op.attrs.get("squeeze_dims") or ())
    if len(requested) > _MAX_SQUEEZE_DIMS:
        raise unsupported(op, f"lists more than {_MAX_SQUEEZE_DIMS} squeeze_dims", "re-export the model")
    for dim in requested:
        axis = dim + len(shape) if dim < 0 else dim
        if not (0 <= axis < len(shape) and shape[axis] == 1):
            raise unsupported(op, f"squeeze_dims entry {dim} does not name a size-1 dimension of "
                                  f"{list(shape)}", "re-export the model")
    return _copy_params(op, graph, ANY_FIXED_SIZE)


def _lower_expand_dims(op: Operator, graph: Graph) -> Params:
    require_arity(op, (2,))
    axis_tensor = graph.tensor(op.inputs[1])
    axis_values = constant_int32(op, graph, 1, "axis")
    if len(axis_tensor.shape) > 1 or axis_values.size == 0:
        raise unsupported(op, f"the axis tensor has shape {list(axis_tensor.shape)}, TFLM needs one value",
                          "pass a scalar axis")
    source_shape = graph.tensors[op.inputs[0]].shape
    axis = int(axis_values[0])
    axis = axis + len(source_shape) + 1 if axis < 0 else axis
    expected = source_shape[:axis] + (1,) + source_shape[axis:]
    if not 0 <= axis <= len(source_shape) or graph.tensors[op.outputs[0]].shape != expected:
        raise unsupported(op, f"the output shape {list(graph.tensors[op.outputs[0]].shape)} is not the input "
                              f"shape {list(source_shape)} with a 1 inserted at axis {int(axis_values[0])}",
                          "re-export the model")
    return _copy_params(op, graph, _EXPAND_DIMS_DTYPES)


def _compute_copy(params: Params, inputs) -> list[np.ndarray]:
    return [np.array(inputs[0], dtype=params["dtype"]).reshape(params["output_shape"])]


def _stacks_along(axis: int, pieces, whole) -> bool:
    """Whether the piece shapes, laid end to end along `axis`, form exactly the whole shape."""
    def others(shape):
        return shape[:axis] + shape[axis + 1:]
    return (bool(pieces) and all(len(p) == len(whole) and others(p) == others(whole) for p in pieces)
            and sum(p[axis] for p in pieces) == whole[axis])


# -- CONCATENATION ------------------------------------------------------------------------------
def _require_concat_quantization(op: Operator, graph: Graph) -> None:
    """TFLM's int8 concatenation never rescales, and int16 assumes symmetric quantisation."""
    output = graph.tensors[op.outputs[0]]
    for index in op.inputs:
        tensor = graph.tensors[index]
        if output.dtype == "int8" and per_tensor_quantization(tensor) != per_tensor_quantization(output):
            raise unsupported(op, f"int8 input {tensor.name!r} is quantised differently from the output and "
                                  "TFLM does not rescale", "give all inputs the output's scale and zero point")
        if output.dtype == "int16" and per_tensor_quantization(tensor)[1] != 0:
            raise unsupported(op, f"int16 input {tensor.name!r} has a non-zero zero point",
                              "use symmetric int16 quantisation")
    if output.dtype == "int16" and per_tensor_quantization(output)[1] != 0:
        raise unsupported(op, "the int16 output has a non-zero zero point", "use symmetric int16 quantisation")


def _lower_concatenation(op: Operator, graph: Graph) -> Params:
    if not 1 <= len(op.inputs) <= _MAX_CONCAT_INPUTS or len(op.outputs) != 1:
        raise unsupported(op, f"has {len(op.inputs)} inputs, TFLM concatenates 1 to {_MAX_CONCAT_INPUTS}",
                          "split the concatenation in two")
    activation = op.attrs.get("fused_activation_function", "NONE")
    if activation != "NONE":
        raise unsupported(op, f"has fused activation {activation}, which TFLM rejects",
                          "apply the activation as a separate operator")
    inputs = [graph.tensors[i] for i in op.inputs]
    output = graph.tensors[op.outputs[0]]
    require_dtype(op, output, _CONCATENATION_DTYPES)
    rank = len(output.shape)
    axis = op.attrs.get("axis", 0)
    axis = axis + rank if axis < 0 else axis
    for tensor in inputs:
        require_same_dtype(op, tensor, output)
        if len(tensor.shape) > _MAX_CONCAT_RANK:
            raise unsupported(op, f"input {tensor.name!r} has rank {len(tensor.shape)}, TFLM allows at most "
                                  f"{_MAX_CONCAT_RANK}", "reduce the rank")
    _require_concat_quantization(op, graph)
    if not 0 <= axis < rank or not _stacks_along(axis, [t.shape for t in inputs], output.shape):
        raise unsupported(op, f"input shapes {[list(t.shape) for t in inputs]} do not concatenate to "
                              f"{list(output.shape)} along axis {op.attrs.get('axis', 0)}", "re-export the model")
    return {"dtype": output.dtype, "output_shape": output.shape, "axis": axis,
            "outer_size": product(output.shape[:axis]), "inner_size": product(output.shape[axis + 1:]),
            "input_axis_sizes": tuple(t.shape[axis] for t in inputs)}


def _compute_concatenation(params: Params, inputs) -> list[np.ndarray]:
    # For each outer index TFLM copies one contiguous run of axis_size * inner_size from each input.
    outer, inner = params["outer_size"], params["inner_size"]
    runs = [np.asarray(x).reshape(outer, size * inner) for x, size in zip(inputs, params["input_axis_sizes"])]
    return [np.concatenate(runs, axis=1).astype(params["dtype"]).reshape(params["output_shape"])]


# -- SPLIT, SPLIT_V ------------------------------------------------------------------------------
def _split_params(op: Operator, graph: Graph, data_position: int, axis_position: int) -> Params:
    """TFLM takes each piece's size from its declared output shape (SPLIT_V's size_splits input and
    SPLIT's num_splits are never read); the axis must be a constant."""
    source = graph.tensors[op.inputs[data_position]]
    outputs = [graph.tensors[i] for i in op.outputs]
    require_dtype(op, source, _SPLIT_DTYPES)
    rank = len(source.shape)
    axis_values = constant_int32(op, graph, axis_position, "axis")
    if axis_values.size == 0:
        raise unsupported(op, "the axis tensor is empty", "pass a scalar axis")
    axis = int(axis_values[0]) + (rank if axis_values[0] < 0 else 0)
    if not 0 <= axis < rank:
        raise unsupported(op, f"axis {int(axis_values[0])} is out of range for rank {rank}", "fix the axis")
    for tensor in outputs:
        require_same_dtype(op, tensor, source)
    if not _stacks_along(axis, [t.shape for t in outputs], source.shape):
        raise unsupported(op, f"output shapes {[list(t.shape) for t in outputs]} do not split "
                              f"{list(source.shape)} along axis {axis}", "re-export the model")
    return {"dtype": source.dtype, "data_input": data_position, "axis": axis,
            "outer_size": product(source.shape[:axis]), "inner_size": product(source.shape[axis + 1:]),
            "output_axis_sizes": tuple(t.shape[axis] for t in outputs),
            "output_shapes": tuple(t.shape for t in outputs)}


def _lower_split(op: Operator, graph: Graph) -> Params:
    require_arity(op, (2,), outputs=None)
    params = _split_params(op, graph, data_position=1, axis_position=0)
    if len(set(params["output_axis_sizes"])) > 1:
        raise unsupported(op, f"outputs have unequal sizes {list(params['output_axis_sizes'])} along the axis",
                          "use SPLIT_V for uneven pieces")
    return params


def _lower_split_v(op: Operator, graph: Graph) -> Params:
    require_arity(op, (3,), outputs=None)
    return _split_params(op, graph, data_position=0, axis_position=2)


def _compute_split(params: Params, inputs) -> list[np.ndarray]:
    # For each outer index TFLM hands each output in turn its run of axis_size * inner_size values.
    source = np.asarray(inputs[params["data_input"]]).reshape(params["outer_size"], -1)
    run_ends = np.cumsum([size * params["inner_size"] for size in params["output_axis_sizes"]])[:-1]
    pieces = np.split(source, run_ends, axis=1)
    return [np.array(piece).reshape(shape) for piece, shape in zip(pieces, params["output_shapes"])]


# -- TRANSPOSE ----------------------------------------------------------------------------------
def _lower_transpose(op: Operator, graph: Graph) -> Params:
    require_arity(op, (2,))
    source, target = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    require_dtype(op, source, _TRANSPOSE_DTYPES)
    require_same_dtype(op, source, target)
    rank = len(source.shape)
    if not 1 <= rank <= _MAX_TRANSPOSE_RANK:
        raise unsupported(op, f"the input has rank {rank}, TFLM transposes ranks 1 to {_MAX_TRANSPOSE_RANK}",
                          "reshape to at most 5 dimensions first")
    perm = tuple(int(p) for p in constant_int32(op, graph, 1, "perm"))
    if len(graph.tensor(op.inputs[1]).shape) != 1 or sorted(perm) != list(range(rank)):
        raise unsupported(op, f"perm {list(perm)} is not a permutation of the {rank} input axes", "fix perm")
    if target.shape != tuple(source.shape[p] for p in perm):
        raise unsupported(op, f"the output shape {list(target.shape)} is not the input shape "
                              f"{list(source.shape)} permuted by {list(perm)}", "re-export the model")
    return {"dtype": source.dtype, "input_shape": source.shape, "perm": perm, "output_shape": target.shape}


def _compute_transpose(params: Params, inputs) -> list[np.ndarray]:
    source = np.asarray(inputs[0]).reshape(params["input_shape"])
    return [np.ascontiguousarray(np.transpose(source, params["perm"]))]


KERNELS = {
    "RESHAPE": Kernel(lower=_lower_reshape, compute=_compute_copy),
    "SQUEEZE": Kernel(lower=_lower_squeeze, compute=_compute_copy),
    "EXPAND_DIMS": Kernel(lower=_lower_expand_dims, compute=_compute_copy),
    "CONCATENATION": Kernel(lower=_lower_concatenation, compute=_compute_concatenation),
    "SPLIT": Kernel(lower=_lower_split, compute=_compute_split),
    "SPLIT_V": Kernel(lower=_lower_split_v, compute=_compute_split),
    "TRANSPOSE": Kernel(lower=_lower_transpose, compute=_compute_transpose),
    **SLICING_KERNELS,
}
