"""Lowering: every operator becomes a kernel call with integer parameters.

This is the one place where float scales become integers (each kernel family's `lower`); the
Python executor and the C emitter both consume the result, so whatever the C code is told,
the Python reference ran first.
"""
from __future__ import annotations

from dataclasses import dataclass

from .ir import Model, Operator
from .kernels import KERNELS, Kernel, Params


@dataclass(frozen=True)
class KernelCall:
    graph: int
    op: Operator
    kernel: Kernel
    params: Params


def lower_model(model: Model) -> list[list[KernelCall]]:
    """Kernel calls per subgraph, indexed like the subgraph's operators."""
    return [[KernelCall(g, op, KERNELS[op.kind], KERNELS[op.kind].lower(op, graph)) for op in graph.operators]
            for g, graph in enumerate(model.graphs)]
