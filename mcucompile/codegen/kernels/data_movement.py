"""C for operators that only move bytes: shape aliases, resource variables, CALL_ONCE."""
from __future__ import annotations

from ...kernels.variables import handle_producer, variable_key
from ...lowering import KernelCall
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/data_movement.h"


def _copy(context: EmitContext, source: str, destination: str, nbytes: int) -> CCall:
    return CCall("mcu_copy", "mcu_copy_params_t",
                 (("source", source), ("destination", destination), ("bytes", str(nbytes))),
                 HEADER, ("portable/copy.c",))


def _reshape(call: KernelCall, context: EmitContext) -> CCall | None:
    g, op = call.graph, call.op
    source, target = op.inputs[0], op.outputs[0]
    if context.tensor(g, source) == context.tensor(g, target):
        return None  # aliased by the planner: the bytes are already where the output lives
    nbytes = context.model.graphs[g].tensors[target].nbytes
    return _copy(context, context.tensor(g, source), context.tensor(g, target), nbytes)


def _variable_of(call: KernelCall, context: EmitContext) -> str:
    graph = context.model.graphs[call.graph]
    handle = handle_producer(graph, call.op.inputs[0])
    return context.variable(variable_key(handle))


def _read_variable(call: KernelCall, context: EmitContext) -> CCall:
    g, out = call.graph, call.op.outputs[0]
    nbytes = context.model.graphs[g].tensors[out].nbytes
    return _copy(context, _variable_of(call, context), context.tensor(g, out), nbytes)


def _assign_variable(call: KernelCall, context: EmitContext) -> CCall:
    g, value = call.graph, call.op.inputs[1]
    nbytes = context.model.graphs[g].tensors[value].nbytes
    return _copy(context, context.tensor(g, value), _variable_of(call, context), nbytes)


def _call_once(call: KernelCall, context: EmitContext) -> CCall:
    callee = call.params["init_subgraph_index"]
    table = context.graph_table(callee)
    # The callee's table holds only the operators that need code; its length is an enum constant.
    return CCall("mcu_call_once", "mcu_call_once_params_t",
                 (("has_run", context.call_once_flag(callee)), ("ops", table), ("count", f"{table}_count")),
                 HEADER, ("portable/call_once.c",))


EMITTERS = {
    "RESHAPE": _reshape,
    "SQUEEZE": _reshape,
    "EXPAND_DIMS": _reshape,
    "VAR_HANDLE": lambda call, context: None,
    "READ_VARIABLE": _read_variable,
    "ASSIGN_VARIABLE": _assign_variable,
    "CALL_ONCE": _call_once,
}
