"""Evaluate at compile time every operator whose inputs are all constant.

The reference kernels compute the value, so the folded constant is exactly what the device
would have computed. Results that are model outputs stay computed at run time (the output
buffer must be written on every invocation).
"""
from __future__ import annotations

from dataclasses import replace

from ..ir import Model
from ..kernels import KERNELS
from ..planning.schedule import STATEFUL_KINDS
from .rewrite import copy_model, renumber


def fold_constants(model: Model) -> Model:
    model = copy_model(model)
    graphs = []
    for graph in model.graphs:
        kept = []
        for op in graph.operators:
            inputs = [graph.tensor(i) for i in op.inputs]
            foldable = (op.kind in KERNELS and op.kind not in STATEFUL_KINDS
                        and all(t is None or t.is_constant for t in inputs)
                        and not any(t in graph.outputs for t in op.outputs))
            if not foldable:
                kept.append(op)
                continue
            kernel = KERNELS[op.kind]
            results = kernel.compute(kernel.lower(op, graph), [None if t is None else t.data for t in inputs])
            for index, value in zip(op.outputs, results):
                tensor = graph.tensors[index]
                graph.tensors[index] = replace(tensor, data=value.astype(tensor.dtype).reshape(tensor.shape))
        graphs.append(renumber(graph, kept))
    return replace(model, graphs=graphs)
