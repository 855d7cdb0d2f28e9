"""Buffers and their lifetimes: which tensors need arena bytes, from which step to which.

A buffer is one tensor, or several that share bytes (aliases such as RESHAPE outputs, and
elementwise outputs written over an input that dies at that operator).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..ir import Model
from ..passes.concat_in_place import slice_offsets
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
    offset_in_buffer: dict[TensorRef, int] = field(default_factory=dict)  # slices of a concatenation

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


def analyse(model: Model, steps: list[Step], alignment: int = 4,
            slices: frozenset[Step] = frozenset()) -> Liveness:
    """`slices`: the CONCATENATION steps (graph, operator) whose inputs go into their slices."""
    spans = _tensor_lifetimes(model, steps)
    groups = _StorageGroups(model, spans, alignment)
    for step, (g, o) in enumerate(steps):
        op = model.graphs[g].operators[o]
        if op.sharing == "slices":
            if (g, o) in slices:
                groups.place_in_slices(g, op, step)
        elif op.shares_input is not None:
            groups.share(g, op, step)
    return groups.buffers(steps)


class _StorageGroups:
    """Union-find over tensors that share bytes, each member at a byte delta from its root."""

    def __init__(self, model: Model, spans: dict[TensorRef, list[int]], alignment: int) -> None:
        self.model, self.spans, self.alignment = model, spans, alignment
        self.parent = {ref: ref for ref in spans}
        self.delta = {ref: 0 for ref in spans}  # byte offset relative to parent
        self.members = {ref: [ref] for ref in spans}
        self.last = {ref: span[1] for ref, span in spans.items()}
        self.model_inputs = {TensorRef(0, i) for i in model.main.inputs}

    def root(self, ref: TensorRef) -> tuple[TensorRef, int]:
        """The group root and the member's byte offset from it."""
        offset = 0
        while self.parent[ref] != ref:
            offset += self.delta[ref]
            ref = self.parent[ref]
        return ref, offset

    def _join(self, anchor: TensorRef, member: TensorRef, shift: int) -> None:
        """Put `member`'s group where `member` sits `shift` bytes after `anchor`."""
        a, anchor_offset = self.root(anchor)
        b, member_offset = self.root(member)
        self.parent[b] = a
        self.delta[b] = anchor_offset + shift - member_offset
        self.members[a] += self.members.pop(b)
        self.last[a] = max(self.last[a], self.last.pop(b))

    def share(self, g: int, op, step: int) -> None:
        source, target = TensorRef(g, op.inputs[op.shares_input]), TensorRef(g, op.outputs[0])
        if source not in self.spans or target not in self.spans or self.root(source)[0] == self.root(target)[0]:
            return
        if op.sharing == "overwrite":
            group = self.root(source)[0]
            same_layout = (_nbytes(self.model, source) == _nbytes(self.model, target)
                           and _itemsize(self.model, source) == _itemsize(self.model, target))
            dies_here = self.last[group] == step
            if not (same_layout and dies_here) or any(m in self.model_inputs for m in self.members[group]):
                return
        self._join(source, target, 0)

    def place_in_slices(self, g: int, op, step: int) -> None:
        offsets = slice_offsets(self.model.graphs[g], op)
        output = TensorRef(g, op.outputs[0])
        if offsets is None or output not in self.spans:
            return
        for index, offset in zip(op.inputs, offsets):
            source = TensorRef(g, index)
            # Only a tensor with storage of its own moves into the slice: a model input, a tensor
            # already sharing bytes, or one read twice by this concatenation stays where it is.
            # A slice must also start on the target's alignment, like every tensor.
            if (source not in self.spans or source in self.model_inputs or op.inputs.count(index) > 1
                    or len(self.members.get(source, ())) != 1 or offset % self.alignment):
                continue
            self._join(output, source, offset)

    def buffers(self, steps: list[Step]) -> Liveness:
        alignment = self.alignment
        buffers, buffer_of, placement = [], {}, {}
        for group_root in sorted(self.members, key=lambda r: (min(self.spans[m][0] for m in self.members[r]), r)):
            group = sorted(self.members[group_root])
            offsets = {m: self.root(m)[1] for m in group}
            low = min(offsets.values())
            high = max(offsets[m] + _nbytes(self.model, m) for m in group)
            buffer = Buffer(id=len(buffers), tensors=group, size=align(high - low, alignment),
                            first=min(self.spans[m][0] for m in group), last=max(self.spans[m][1] for m in group))
            buffers.append(buffer)
            for m in group:
                buffer_of[m] = buffer.id
                placement[m] = offsets[m] - low
        return Liveness(steps=steps, buffers=buffers, buffer_of=buffer_of, offset_in_buffer=placement)


def _nbytes(model: Model, ref: TensorRef) -> int:
    return model.graphs[ref.graph].tensors[ref.index].nbytes


def _itemsize(model: Model, ref: TensorRef) -> int:
    return model.graphs[ref.graph].tensors[ref.index].nbytes // max(1, model.graphs[ref.graph].tensors[ref.index].num_elements)
