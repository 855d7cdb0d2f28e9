"""Static facts about a model: multiply-accumulates per operator and weight bytes."""
from __future__ import annotations

import numpy as np

from .ir import Graph, Operator


def _elements(shape) -> int:
    return int(np.prod(shape, dtype=np.int64))


def operator_macs(op: Operator, graph: Graph) -> int:
    """Multiply-accumulates one invocation of `op` performs (0 for data movement)."""
    if op.kind in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV"):
        weights = graph.tensors[op.inputs[1]].shape
        if op.kind == "CONV_2D":  # filter [out_c, kh, kw, in_c]
            return _elements(graph.tensors[op.outputs[0]].shape) * _elements(weights[1:])
        if op.kind == "DEPTHWISE_CONV_2D":  # filter [1, kh, kw, out_c]
            return _elements(graph.tensors[op.outputs[0]].shape) * _elements(weights[1:3])
        if op.kind == "FULLY_CONNECTED":  # weights [units, depth]
            return _elements(graph.tensors[op.outputs[0]].shape) * weights[-1]
        # TRANSPOSE_CONV: every input element meets every tap of every output channel.
        return _elements(graph.tensors[op.inputs[2]].shape) * _elements(weights[:3])
    return 0


def weight_bytes(graph: Graph) -> int:
    """Bytes of constant tensor data in one subgraph."""
    return sum(t.data.nbytes for t in graph.tensors if t.data is not None)
