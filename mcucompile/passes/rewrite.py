"""Helpers that passes share: copying a model and asking who reads a tensor."""
from __future__ import annotations

import copy
from dataclasses import replace

from ..ir import Graph, Model, Operator


def copy_model(model: Model) -> Model:
    """A copy whose graphs and operators a pass may change freely (constant data is shared)."""
    graphs = [replace(g, tensors=[replace(t) for t in g.tensors],
                      operators=[replace(op, attrs=copy.deepcopy(op.attrs)) for op in g.operators])
              for g in model.graphs]
    return replace(model, graphs=graphs)


def consumers(graph: Graph, tensor: int) -> list[Operator]:
    return [op for op in graph.operators if tensor in op.inputs]


def is_graph_output(graph: Graph, tensor: int) -> bool:
    return tensor in graph.outputs


def renumber(graph: Graph, operators: list[Operator]) -> Graph:
    """Keep `operators` in their order and give them consecutive indices."""
    return replace(graph, operators=[replace(op, index=i) for i, op in enumerate(operators)])


def replace_uses(graph: Graph, old: int, new: int) -> None:
    """Point every operator input that reads tensor `old` at tensor `new`."""
    for op in graph.operators:
        if old in op.inputs:
            op.inputs = tuple(new if t == old else t for t in op.inputs)
