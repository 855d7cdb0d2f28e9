"""Remove operators whose results nobody reads. Operators with side effects (state) stay.

Tensors keep their indices (so they still match the .tflite file); a tensor no operator
produces or reads simply gets no storage and is never emitted.
"""
from __future__ import annotations

from dataclasses import replace

from ..ir import Model
from ..planning.schedule import STATEFUL_KINDS
from .rewrite import copy_model, renumber


def remove_dead_operators(model: Model) -> Model:
    model = copy_model(model)
    graphs = []
    for graph in model.graphs:
        live = set(graph.outputs)
        kept = []
        for op in reversed(graph.operators):
            if op.kind in STATEFUL_KINDS or any(t in live for t in op.outputs):
                kept.append(op)
                live.update(t for t in op.inputs if t >= 0)
        graphs.append(renumber(graph, list(reversed(kept))))
    return replace(model, graphs=graphs)
