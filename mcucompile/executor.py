"""Run a model with the Python reference kernels, invocation after invocation.

State (resource variables, which CALL_ONCE subgraphs already ran) persists across invocations
of one Executor, as it does across Invoke() calls of one TFLM interpreter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .errors import UserError
from .ir import Graph, Model, Operator
from .lowering import lower_model
from .kernels.variables import variable_layouts
from .support import check_supported

if TYPE_CHECKING:
    from .planning.plan import MemoryPlan


@dataclass
class State:
    """What survives from one invocation to the next."""

    executor: "Executor"
    layouts: dict[tuple[str, str], tuple[int, int]]  # variable -> (bytes, fill byte)
    resource_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    variables: dict[int, bytes] = field(default_factory=dict)
    called_once: set[int] = field(default_factory=set)

    def resource_id(self, key: tuple[str, str]) -> int:
        return self.resource_ids.setdefault(key, len(self.resource_ids))

    def read_variable(self, resource_id: int) -> bytes:
        if resource_id not in self.variables:
            key = next(k for k, v in self.resource_ids.items() if v == resource_id)
            if key not in self.layouts:
                raise UserError(f"resource variable {key[1]!r} is read but never assigned")
            size, fill = self.layouts[key]
            self.variables[resource_id] = bytes([fill]) * size
        return self.variables[resource_id]

    def assign_variable(self, resource_id: int, value: bytes) -> None:
        self.variables[resource_id] = value

    def call_once(self, graph_index: int) -> None:
        if graph_index not in self.called_once:
            self.executor.run_graph(graph_index, [])
            self.called_once.add(graph_index)


class _TensorValues:
    """Tensor values kept as separate numpy arrays (no memory plan)."""

    def __init__(self, graph: Graph) -> None:
        self.values: dict[int, np.ndarray] = {i: t.data for i, t in enumerate(graph.tensors) if t.data is not None}

    def read(self, index: int) -> np.ndarray:
        return self.values[index]

    def write(self, index: int, value: np.ndarray) -> None:
        self.values[index] = value


class _ArenaValues:
    """Tensor values stored in one flat byte arena at the offsets of a memory plan, so that a wrong
    offset or an illegal in-place reuse corrupts results."""

    def __init__(self, graph: Graph, graph_index: int, arena: np.ndarray, plan: "MemoryPlan") -> None:
        self.graph, self.graph_index, self.arena, self.plan = graph, graph_index, arena, plan
        self.resources: dict[int, np.ndarray] = {}

    def read(self, index: int) -> np.ndarray:
        tensor = self.graph.tensors[index]
        if tensor.data is not None:
            return tensor.data
        if tensor.dtype == "resource":
            return self.resources[index]
        offset = self.plan.offset(self.graph_index, index)
        return self.arena[offset:offset + tensor.nbytes].view(tensor.dtype).reshape(tensor.shape)

    def write(self, index: int, value: np.ndarray) -> None:
        tensor = self.graph.tensors[index]
        if tensor.dtype == "resource":
            self.resources[index] = value
            return
        offset = self.plan.offset(self.graph_index, index)
        self.arena[offset:offset + tensor.nbytes] = np.ascontiguousarray(value).reshape(-1).view(np.uint8)

    @property
    def values(self) -> dict[int, np.ndarray]:
        """Intermediate values are not kept: the arena reuses their bytes."""
        return {}


class Executor:
    """Runs the reference kernels. With a MemoryPlan, every tensor lives in one flat byte arena
    at its planned offset and operators run in the planned order."""

    def __init__(self, model: Model, plan: "MemoryPlan | None" = None) -> None:
        check_supported(model)
        self.model = model
        self.plan = plan
        self.lowered = lower_model(model)
        self.arena = np.zeros(plan.arena_bytes if plan else 0, dtype=np.uint8)
        self.values: dict[int, np.ndarray] = {}
        self.reset()

    def reset(self) -> None:
        self.state = State(self, variable_layouts(self.model))

    def invoke(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        main = self.model.main
        if len(inputs) != len(main.inputs):
            raise UserError(f"the model takes {len(main.inputs)} input(s), got {len(inputs)}")
        arrays = [_as_input(main, index, value) for index, value in zip(main.inputs, inputs)]
        outputs, self.values = self.run_graph(0, arrays)
        return outputs

    def _order(self, graph_index: int) -> list[int]:
        if self.plan is not None and graph_index == 0:
            return self.plan.main_order
        return list(range(len(self.lowered[graph_index])))

    def run_graph(self, graph_index: int, inputs: list[np.ndarray]):
        """Run one subgraph; returns copies of its outputs and (without a plan) every tensor value."""
        graph = self.model.graphs[graph_index]
        storage = (_ArenaValues(graph, graph_index, self.arena, self.plan) if self.plan is not None
                   else _TensorValues(graph))
        for index, value in zip(graph.inputs, inputs):
            storage.write(index, value)
        for op_index in self._order(graph_index):
            lowered = self.lowered[graph_index][op_index]
            args = [storage.read(i) if i >= 0 else None for i in lowered.op.inputs]
            if lowered.kernel.stateful:
                results = lowered.kernel.compute(lowered.params, args, self.state)
            else:
                results = lowered.kernel.compute(lowered.params, args)
            for index, result in zip(lowered.op.outputs, results):
                storage.write(index, _checked_output(lowered.op, graph.tensors[index], result))
        return [np.array(storage.read(i)) for i in graph.outputs], storage.values


def _as_input(graph: Graph, index: int, value) -> np.ndarray:
    tensor = graph.tensors[index]
    array = np.asarray(value)
    if array.dtype != np.dtype(tensor.dtype):
        raise UserError(f"input {tensor.name!r} must be {tensor.dtype}, got {array.dtype}")
    if array.size != tensor.num_elements:
        raise UserError(f"input {tensor.name!r} must have shape {list(tensor.shape)}, got {list(array.shape)}")
    return array.reshape(tensor.shape)


def _checked_output(op: Operator, tensor, result: np.ndarray) -> np.ndarray:
    """Kernels must produce exactly the declared dtype and element count; a mismatch is a bug."""
    result = np.asarray(result)
    if tensor.dtype != "resource":
        assert result.dtype == np.dtype(tensor.dtype), (op.kind, op.index, result.dtype, tensor.dtype)
        assert result.size == tensor.num_elements, (op.kind, op.index, result.shape, tensor.shape)
        result = result.reshape(tensor.shape)
    return result
