"""The execution timeline: every operator of every subgraph in the order it runs.

A subgraph called by CALL_ONCE is inlined right after its call, so its tensors share the
timeline (and the arena) with the caller's. Steps are (graph index, operator index) pairs.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ir import Model

Step = tuple[int, int]


@dataclass(frozen=True, order=True)
class TensorRef:
    graph: int
    index: int


def flatten(model: Model, main_order: list[int]) -> list[Step]:
    """Steps of the whole model for a given order of the main graph's operators."""
    steps: list[Step] = []

    def visit(graph_index: int, order: list[int], calling: tuple[int, ...]) -> None:
        graph = model.graphs[graph_index]
        for op_index in order:
            steps.append((graph_index, op_index))
            op = graph.operators[op_index]
            if op.kind == "CALL_ONCE":
                callee = int(op.attrs["init_subgraph_index"])
                if callee not in calling:
                    visit(callee, list(range(len(model.graphs[callee].operators))), calling + (callee,))

    visit(0, main_order, (0,))
    return steps
