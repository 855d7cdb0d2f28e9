"""Let the producers of a CONCATENATION write straight into their slice of its output.

Legal when every input is one contiguous block of the output: all dimensions before the axis
are 1, so input i occupies bytes [offset_i, offset_i + size_i) of the output. TFLM's
CONCATENATION never requantises (inputs and output share scale and zero point), so the copy it
would make is byte-for-byte. The planner places each input whose storage is its own at its
slice; a concatenation whose inputs all landed there needs no code at all.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Model, Operator
from .rewrite import copy_model


def slice_offsets(graph: Graph, op: Operator) -> list[int] | None:
    """Byte offset of each input inside the output, or None when the inputs are not contiguous."""
    output = graph.tensors[op.outputs[0]]
    axis = op.attrs.get("axis", 0)
    axis = axis + len(output.shape) if axis < 0 else axis
    if int(np.prod(output.shape[:axis], dtype=np.int64)) != 1:
        return None
    offsets, position = [], 0
    for index in op.inputs:
        tensor = graph.tensors[index]
        if tensor.dtype != output.dtype:
            return None
        offsets.append(position)
        position += tensor.nbytes
    return offsets if position == output.nbytes else None


def mark_concat_in_place(model: Model) -> Model:
    model = copy_model(model)
    for graph in model.graphs:
        for op in graph.operators:
            if op.kind == "CONCATENATION" and op.sharing is None and slice_offsets(graph, op) is not None:
                op.sharing = "slices"
    return model
