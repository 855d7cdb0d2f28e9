"""The memory plan: operator order, every tensor's arena offset, and how close it is to the bound."""
from __future__ import annotations

from dataclasses import dataclass

from ..ir import Model
from ..kernels.variables import variable_layouts
from .allocate import allocate
from .liveness import Buffer, Liveness, align, analyse
from .schedule import choose_order
from .timeline import Step, TensorRef, flatten


@dataclass(frozen=True)
class TensorPlacement:
    ref: TensorRef
    name: str
    offset: int
    size: int  # unaligned bytes of the tensor itself
    first: int
    last: int
    buffer: int


@dataclass(frozen=True)
class MemoryPlan:
    main_order: list[int]
    steps: list[Step]
    alignment: int
    strategy: str
    arena_bytes: int
    lower_bound_bytes: int
    state_bytes: int  # resource variables: persistent RAM besides the arena
    buffers: list[Buffer]
    buffer_offsets: dict[int, int]
    placements: dict[TensorRef, TensorPlacement]
    variable_offsets: dict[tuple[str, str], int]

    @property
    def gap_bytes(self) -> int:
        return self.arena_bytes - self.lower_bound_bytes

    @property
    def persistent_ram_bytes(self) -> int:
        return self.state_bytes

    def offset(self, graph: int, index: int) -> int:
        return self.placements[TensorRef(graph, index)].offset


def _storage_units(model: Model) -> tuple[dict[int, int], dict[int, int]]:
    """Main-graph tensors grouped by pure aliases (order independent), for the scheduler."""
    graph = model.main
    unit_of = {t.index: t.index for t in graph.tensors if not t.is_constant and t.dtype != "resource"}
    for op in graph.operators:
        if op.sharing == "alias" and op.inputs[op.shares_input] in unit_of and op.outputs[0] in unit_of:
            unit_of[op.outputs[0]] = unit_of[op.inputs[op.shares_input]]
    sizes: dict[int, int] = {}
    for t, unit in unit_of.items():
        sizes[unit] = max(sizes.get(unit, 0), graph.tensors[t].nbytes)
    return unit_of, sizes


def _choose_concat_slices(model: Model, steps: list[Step], alignment: int):
    """Writing concatenation inputs into their slices saves a copy but stretches the inputs'
    lifetimes to the output's; keep it for each concatenation only where the arena does not grow."""
    chosen: frozenset[Step] = frozenset()
    liveness = analyse(model, steps, alignment, chosen)
    allocation = allocate(liveness.buffers)
    for step in steps:
        if model.graphs[step[0]].operators[step[1]].sharing != "slices":
            continue
        trial = analyse(model, steps, alignment, chosen | {step})
        trial_allocation = allocate(trial.buffers)
        if trial_allocation.arena_bytes <= allocation.arena_bytes:
            chosen, liveness, allocation = chosen | {step}, trial, trial_allocation
    return liveness, allocation


def plan_memory(model: Model, alignment: int = 4, reorder: bool = True) -> MemoryPlan:
    if reorder:
        unit_of, sizes = _storage_units(model)
        order = choose_order(model.main, unit_of, {u: align(s, alignment) for u, s in sizes.items()})
    else:
        order = list(range(len(model.main.operators)))
    steps = flatten(model, order)
    liveness, allocation = _choose_concat_slices(model, steps, alignment)
    placements = {}
    for buffer in liveness.buffers:
        for ref in buffer.tensors:
            tensor = model.graphs[ref.graph].tensors[ref.index]
            offset = allocation.offsets[buffer.id] + liveness.offset_in_buffer[ref]
            placements[ref] = TensorPlacement(ref, tensor.name, offset, tensor.nbytes, buffer.first, buffer.last,
                                              buffer.id)
    variable_offsets, state = {}, 0
    for key, (size, _fill) in variable_layouts(model).items():
        variable_offsets[key] = state
        state += align(size, alignment)
    return MemoryPlan(main_order=order, steps=steps, alignment=alignment, strategy=allocation.strategy,
                      arena_bytes=allocation.arena_bytes, lower_bound_bytes=liveness.lower_bound(),
                      state_bytes=state, buffers=liveness.buffers, buffer_offsets=allocation.offsets,
                      placements=placements, variable_offsets=variable_offsets)
