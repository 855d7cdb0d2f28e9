"""Checks shared by the shape-operator kernels (shape_ops.py, slicing.py): each mirrors a
condition TFLM's Prepare enforces and turns its failure into one actionable error line."""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator, Tensor
from .common import unsupported

# Types TFLM's memcpy-only kernels (RESHAPE, SQUEEZE) accept: anything with a fixed byte size.
ANY_FIXED_SIZE = frozenset({"float16", "float32", "float64", "int8", "uint8", "int16", "uint16",
                            "int32", "uint32", "int64", "uint64", "bool"})


def require_arity(op: Operator, inputs: tuple[int, ...], outputs: int | None = 1) -> None:
    if len(op.inputs) not in inputs or (outputs is not None and len(op.outputs) != outputs):
        expected = " or ".join(str(n) for n in inputs)
        raise unsupported(op, f"has {len(op.inputs)} inputs and {len(op.outputs)} outputs, TFLM expects "
                              f"{expected} inputs" + ("" if outputs is None else f" and {outputs} output"),
                          "re-export the model")


def require_dtype(op: Operator, tensor: Tensor, allowed) -> None:
    if tensor.dtype not in allowed:
        raise unsupported(op, f"tensor {tensor.name!r} is {tensor.dtype}, TFLM supports "
                              f"{', '.join(sorted(allowed))} here", "convert the model to a supported type")


def require_same_dtype(op: Operator, first: Tensor, second: Tensor) -> None:
    if first.dtype != second.dtype:
        raise unsupported(op, f"tensors {first.name!r} ({first.dtype}) and {second.name!r} ({second.dtype}) "
                              "must have the same type", "re-export the model")


def require_fixed_shape(op: Operator, tensor: Tensor) -> None:
    if any(d < 0 for d in tensor.shape):
        raise unsupported(op, f"tensor {tensor.name!r} has an unknown dimension {list(tensor.shape)}",
                          "convert the model with fixed shapes")


def constant_int32(op: Operator, graph: Graph, position: int, what: str) -> np.ndarray:
    """A constant int32 index input, flattened; TFLM reads these raw as int32 in Prepare."""
    tensor = graph.tensor(op.inputs[position]) if position < len(op.inputs) else None
    if tensor is None or not tensor.is_constant:
        raise unsupported(op, f"the {what} input is not a constant tensor, which TFLM requires",
                          f"make {what} a constant when converting")
    if tensor.dtype != "int32":
        raise unsupported(op, f"the {what} tensor is {tensor.dtype}, TFLM reads it as int32",
                          f"convert with int32 {what}")
    return tensor.data.reshape(-1).astype(np.int64)


def per_tensor_quantization(tensor: Tensor) -> tuple[float, int]:
    """(scale, zero point) as TFLM's TfLiteTensor.params holds them: 0 and 0 when unquantised."""
    q = tensor.quantization
    return (0.0, 0) if q is None else (float(q.scales[0]), int(q.zero_points[0]))


def product(values) -> int:
    return int(np.prod(values, dtype=np.int64))
