"""C for FULLY_CONNECTED: int8 (bias with the input offset folded in), 16x8 and float32."""
from __future__ import annotations

import numpy as np

from ...errors import UnsupportedModelError
from ..cformat import c_float, c_int
from ...lowering import KernelCall
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/fully_connected.h"


def _multipliers(call: KernelCall, context: EmitContext, name: str) -> tuple[tuple[str, str], ...]:
    p = call.params
    multiplier = np.atleast_1d(np.asarray(p["output_multiplier"], dtype=np.int32))
    shift = np.atleast_1d(np.asarray(p["output_shift"], dtype=np.int32))
    return (("multiplier", context.const_array(f"{name}_multiplier", multiplier, "int32_t")),
            ("shift", context.const_array(f"{name}_shift", shift, "int32_t")),
            ("per_channel", "1" if multiplier.size > 1 else "0"))


def _folded_int8_bias(call: KernelCall, context: EmitContext) -> np.ndarray:
    """bias + input_offset * sum_d(weights + weights_offset), wrapped to int32 like TFLM's sums."""
    graph = context.model.graphs[call.graph]
    p = call.params
    weights = graph.tensors[call.op.inputs[1]].data.astype(np.int64).reshape(p["output_depth"], p["accum_depth"])
    bias_index = call.op.inputs[2] if len(call.op.inputs) > 2 else -1
    bias = graph.tensors[bias_index].data.astype(np.int64) if bias_index >= 0 else np.zeros(p["output_depth"], np.int64)
    folded = bias + p["input_offset"] * (weights + p["weights_offset"]).sum(axis=1)
    return folded.astype(np.int32)  # numpy casts modulo 2**32


def _common(call: KernelCall, context: EmitContext) -> list[tuple[str, str]]:
    g, op, p = call.graph, call.op, call.params
    return [("input", context.tensor(g, op.inputs[0])), ("weights", context.tensor(g, op.inputs[1])),
            ("output", context.tensor(g, op.outputs[0])), ("batches", str(p["batches"])),
            ("output_depth", str(p["output_depth"])), ("accum_depth", str(p["accum_depth"]))]


def _bias_index(call: KernelCall) -> int:
    return call.op.inputs[2] if len(call.op.inputs) > 2 else -1


def emit(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    graph = context.model.graphs[g]
    name = f"g{g}_op{op.index}"
    fields = _common(call, context)
    if not graph.tensors[op.inputs[1]].is_constant:
        raise UnsupportedModelError(f"FULLY_CONNECTED #{op.index}: weights computed at run time are not "
                                    "supported by the C backend; make them constant")
    if p["dtype"] == "float32":
        bias = _bias_index(call)
        fields += [("bias", context.tensor(g, bias) if bias >= 0 else "NULL"),
                   ("activation_min", c_float(p["activation_min"])), ("activation_max", c_float(p["activation_max"]))]
        return CCall("mcu_fully_connected_f32", "mcu_fully_connected_f32_params_t", tuple(fields), HEADER,
                     ("portable/fully_connected_f32.c",))
    clamp = [("activation_min", c_int(p["activation_min"])), ("activation_max", c_int(p["activation_max"]))]
    if p["dtype"] == "int8":
        fields += [("bias", context.const_array(f"{name}_bias", _folded_int8_bias(call, context), "int32_t")),
                   ("weights_offset", c_int(p["weights_offset"])), ("output_offset", c_int(p["output_offset"])),
                   *_multipliers(call, context, name), *clamp]
        return CCall("mcu_fully_connected_s8", "mcu_fully_connected_s8_params_t", tuple(fields), HEADER,
                     ("portable/fully_connected_s8.c",))
    bias = _bias_index(call)
    bias_symbol = (context.const_array(f"{name}_bias", graph.tensors[bias].data.astype(np.int64), "int64_t")
                   if bias >= 0 else "NULL")
    fields += [("bias", bias_symbol), ("input_offset", c_int(p["input_offset"])),
               ("weights_offset", c_int(p["weights_offset"])), ("output_offset", c_int(p["output_offset"])),
               *_multipliers(call, context, name), ("int64_accumulator", "1" if p["int64_accumulator"] else "0"),
               *clamp]
    return CCall("mcu_fully_connected_s16", "mcu_fully_connected_s16_params_t", tuple(fields), HEADER,
                 ("portable/fully_connected_s16.c",))


EMITTERS = {"FULLY_CONNECTED": emit}
