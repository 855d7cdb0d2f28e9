"""Buffers and their lifetimes: which tensors need arena bytes, from which step to which.

A buffer is one tensor, or several that share bytes (aliases such as RESHAPE outputs, and
elementwise outputs written over an input that dies at that operator).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..ir import Model
from .timeline import Step, TensorRef


def align(size: int, alignment: int) -> int:
    return -(-size // alignment) * alignment


@dataclass
class Buffer:
    id: int
    tensors: list[TensorRef]
    size: int  # aligned bytes
    first: int  # first step at which the bytes must hold the value (written or model input)
    last: int  # last step that reads it

    def overlaps(self, other: "Buffer") -> bool:
        return self.first <= other.last and other.first <= self.last


@dataclass
class Liveness:
    steps: list[Step]
    buffers: list[Buffer]
    buffer_of: dict[TensorRef, int] = field(default_factory=dict)

    def live_bytes(self) -> list[int]:
        totals = [0] * len(self.steps)
        for buffer in self.buffers:
            for step in range(buffer.first, buffer.last + 1):
                totals[step] += buffer.size
        return totals

    def lower_bound(self) -> int:
        """The largest total of buffers alive at one step: no arena for this order can be smaller."""
        return max(self.live_bytes(), default=0)


def needs_arena(model: Model, ref: TensorRef) -> bool:
    tensor = model.graphs[ref.graph].tensors[ref.index]
    return not tensor.is_constant and tensor.dtype != "resource"


def _tensor_lifetimes(model: Model, steps: list[Step]) -> dict[TensorRef, list[int]]:
    last_step = len(steps) - 1
    spans: dict[TensorRef, list[int]] = {}
    for index in model.main.inputs:
        spans[TensorRef(0, index)] = [0, 0]
    for step, (g, o) in enumerate(steps):
        op = model.graphs[g].operators[o]
        for index in op.inputs:
            ref = TensorRef(g, index)
            if index >= 0 and ref in spans:
                spans[ref][1] = max(spans[ref][1], step)
        for index in op.outputs:
            spans.setdefault(TensorRef(g, index), [step, step])
    for index in model.main.outputs:
        if TensorRef(0, index) in spans:
            spans[TensorRef(0, index)][1] = last_step
    return {ref: span for ref, span in spans.items() if needs_arena(model, ref)}


def analyse(model: Model, steps: list[Step], alignment: int = 4) -> Liveness:
    spans = _tensor_lifetimes(model, steps)
    parent = {ref: ref for ref in spans}

    def root(ref: TensorRef) -> TensorRef:
        while parent[ref] != ref:
            parent[ref] = parent[parent[ref]]
            ref = parent[ref]
        return ref

    members = {ref: [ref] for ref in spans}
    group_last = {ref: span[1] for ref, span in spans.items()}
    model_inputs = {TensorRef(0, i) for i in model.main.inputs}

    for step, (g, o) in enumerate(steps):
        op = model.graphs[g].operators[o]
        if op.shares_input is None:
            continue
        source = TensorRef(g, op.inputs[op.shares_input])
        target = TensorRef(g, op.outputs[0])
        if source not in spans or target not in spans:
            continue
        a, b = root(source), root(target)
        if a == b:
            continue
        if op.sharing == "overwrite":
            same_size = _nbytes(model, source) == _nbytes(model, target) and \
                _itemsize(model, source) == _itemsize(model, target)
            dies_here = group_last[a] == step
            if not (same_size and dies_here) or any(m in model_inputs for m in members[a]):
                continue
        parent[b] = a
        members[a] += members.pop(b)
        group_last[a] = max(group_last[a], group_last.pop(b))

    buffers, buffer_of = [], {}
    for group_root in sorted(members, key=lambda r: (min(spans[m][0] for m in members[r]), r)):
        group = sorted(members[group_root])
        buffer = Buffer(id=len(buffers), tensors=group,
                        size=align(max(_nbytes(model, m) for m in group), alignment),
                        first=min(spans[m][0] for m in group), last=max(spans[m][1] for m in group))
        buffers.append(buffer)
        buffer_of.update({m: buffer.id for m in group})
    return Liveness(steps=steps, buffers=buffers, buffer_of=buffer_of)


def _nbytes(model: Model, ref: TensorRef) -> int:
    return model.graphs[ref.graph].tensors[ref.index].nbytes


def _itemsize(model: Model, ref: TensorRef) -> int:
    return model.graphs[ref.graph].tensors[ref.index].nbytes // max(1, model.graphs[ref.graph].tensors[ref.index].num_elements)
