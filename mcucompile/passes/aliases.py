"""RESHAPE, SQUEEZE and EXPAND_DIMS only relabel a shape: their output shares the input's bytes."""
from __future__ import annotations

from ..ir import Model
from .rewrite import copy_model

ALIAS_KINDS = {"RESHAPE", "SQUEEZE", "EXPAND_DIMS"}


def alias_reshapes(model: Model) -> Model:
    model = copy_model(model)
    for graph in model.graphs:
        for op in graph.operators:
            if op.kind not in ALIAS_KINDS:
                continue
            source, target = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
            if not source.is_constant and source.nbytes == target.nbytes and source.dtype == target.dtype:
                op.shares_input, op.sharing = 0, "alias"
    return model
