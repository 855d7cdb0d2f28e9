"""Prove that a chain of elementwise operators is the identity (or equals another function) by
running the reference kernels over every value of an 8- or 16-bit integer type."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..ir import Graph, Operator
from ..kernels import KERNELS

ENUMERABLE = {"int8", "uint8", "int16"}


def all_values(dtype: str) -> np.ndarray:
    info = np.iinfo(dtype)
    return np.arange(info.min, info.max + 1, dtype=np.int64).astype(dtype)


def run_elementwise(graph: Graph, ops: list[Operator], values: np.ndarray) -> np.ndarray:
    """Feed `values` through `ops` (each with one tensor input), in slices shaped like the
    first operator's input tensor, exactly as the kernels will see them."""
    lowered = [(KERNELS[op.kind], KERNELS[op.kind].lower(op, graph)) for op in ops]
    shape = graph.tensors[ops[0].inputs[0]].shape
    size = int(np.prod(shape, dtype=np.int64))
    padded = np.resize(values, -(-len(values) // size) * size)
    results = []
    for start in range(0, len(padded), size):
        value = padded[start:start + size].reshape(shape)
        for kernel, params in lowered:
            value = kernel.compute(params, [value])[0]
        results.append(np.asarray(value).reshape(-1))
    return np.concatenate(results)[:len(values)]


def is_identity(graph: Graph, ops: list[Operator]) -> bool:
    dtype = graph.tensors[ops[0].inputs[0]].dtype
    if dtype not in ENUMERABLE:
        return False
    values = all_values(dtype)
    result = run_elementwise(graph, ops, values)
    return result.dtype == values.dtype and np.array_equal(result, values)


def equals_function(graph: Graph, op: Operator, expected: Callable[[np.ndarray], np.ndarray]) -> bool:
    dtype = graph.tensors[op.inputs[0]].dtype
    if dtype not in ENUMERABLE:
        return False
    values = all_values(dtype)
    result = run_elementwise(graph, [op], values)
    return np.array_equal(result, expected(values))
