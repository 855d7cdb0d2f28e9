"""Per-family C emitters: a KernelCall (lowered params) becomes a CCall (C kernel + params).

Each emitter returns None when the operator needs no code at all (an alias that only renames
bytes, a VAR_HANDLE whose resource is resolved at compile time).
"""
from __future__ import annotations

from typing import Callable

from ...errors import UnsupportedModelError
from ...lowering import KernelCall
from ...passes.concat_in_place import slice_offsets
from ..context import CCall, EmitContext
from . import activations, binary, conv, data_movement, fully_connected, pooling, quantize, reduce, shape, transpose_conv

Emitter = Callable[[KernelCall, EmitContext], "CCall | None"]

EMITTERS: dict[str, Emitter] = {}
for _family in (activations, binary, conv, data_movement, fully_connected, pooling, quantize, shape, reduce, transpose_conv):
    EMITTERS.update(_family.EMITTERS)


def _concatenated_in_place(call: KernelCall, context: EmitContext) -> bool:
    """True when the planner put every input of a CONCATENATION in its slice of the output."""
    if call.op.sharing != "slices":
        return False
    offsets = slice_offsets(context.model.graphs[call.graph], call.op)
    start = context.arena_offset(call.graph, call.op.outputs[0])
    return all(context.arena_offset(call.graph, index) == start + offset
               for index, offset in zip(call.op.inputs, offsets))


def emit_call(call: KernelCall, context: EmitContext) -> CCall | None:
    if _concatenated_in_place(call, context):
        return None
    emitter = EMITTERS.get(call.op.kind)
    if emitter is None:
        raise UnsupportedModelError(f"{call.op.kind} #{call.op.index}: no C kernel yet; "
                                    "use --engine python for this model")
    return emitter(call, context)
