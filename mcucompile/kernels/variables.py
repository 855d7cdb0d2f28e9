"""Resource variables and CALL_ONCE: the state that persists across invocations.

As in TFLM, a variable is raw bytes: ASSIGN_VARIABLE copies its input's bytes in, READ_VARIABLE
copies them out. Before the first assignment a variable holds its value tensor's zero point
(cast to int8 and memset over every byte, exactly as TFLM's MicroResourceVariables does).
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Model, Operator
from . import Kernel, Params


def variable_key(op: Operator) -> tuple[str, str]:
    return op.attrs.get("container", ""), op.attrs.get("shared_name", "")


def handle_producer(graph: Graph, resource_tensor: int) -> Operator | None:
    for op in graph.operators:
        if op.kind == "VAR_HANDLE" and resource_tensor in op.outputs:
            return op
    return None


def variable_layouts(model: Model) -> dict[tuple[str, str], tuple[int, int]]:
    """(container, shared_name) -> (bytes, fill byte), from the first ASSIGN_VARIABLE of each
    variable in subgraph order: the point where TFLM allocates the variable's buffer."""
    layouts: dict[tuple[str, str], tuple[int, int]] = {}
    for graph in model.graphs:
        for op in graph.operators:
            if op.kind != "ASSIGN_VARIABLE":
                continue
            handle = handle_producer(graph, op.inputs[0])
            value = graph.tensors[op.inputs[1]]
            if handle is None or variable_key(handle) in layouts:
                continue
            zero_point = value.quantization.zero_point if value.quantization is not None else 0
            layouts[variable_key(handle)] = (value.nbytes, int(np.int64(zero_point).astype(np.int8).view(np.uint8)))
    return layouts


def _lower_var_handle(op: Operator, graph: Graph) -> Params:
    container, shared_name = variable_key(op)
    return {"container": container, "shared_name": shared_name}


def _var_handle(params: Params, inputs, state) -> list[np.ndarray]:
    return [np.array([state.resource_id((params["container"], params["shared_name"]))], dtype=np.int32)]


def _lower_read(op: Operator, graph: Graph) -> Params:
    out = graph.tensors[op.outputs[0]]
    return {"dtype": out.dtype, "shape": out.shape}


def _read(params: Params, inputs, state) -> list[np.ndarray]:
    raw = state.read_variable(int(inputs[0][0]))
    return [np.frombuffer(raw, dtype=params["dtype"]).reshape(params["shape"]).copy()]


def _lower_assign(op: Operator, graph: Graph) -> Params:
    return {}


def _assign(params: Params, inputs, state) -> list[np.ndarray]:
    state.assign_variable(int(inputs[0][0]), np.ascontiguousarray(inputs[1]).tobytes())
    return []


def _lower_call_once(op: Operator, graph: Graph) -> Params:
    return {"init_subgraph_index": int(op.attrs["init_subgraph_index"])}


def _call_once(params: Params, inputs, state) -> list[np.ndarray]:
    state.call_once(params["init_subgraph_index"])
    return []


KERNELS = {
    "VAR_HANDLE": Kernel(_lower_var_handle, _var_handle, stateful=True),
    "READ_VARIABLE": Kernel(_lower_read, _read, stateful=True),
    "ASSIGN_VARIABLE": Kernel(_lower_assign, _assign, stateful=True),
    "CALL_ONCE": Kernel(_lower_call_once, _call_once, stateful=True),
}
