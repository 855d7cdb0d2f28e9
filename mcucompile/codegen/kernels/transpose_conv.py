"""C for TRANSPOSE_CONV: int8 (per-channel), 16x8 and float32, computed by gathering (no scratch)."""
from __future__ import annotations

import numpy as np

from ...errors import UnsupportedModelError
from ...lowering import KernelCall
from ..cformat import c_float, c_int
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/transpose_conv.h"
_SUFFIX = {"int8": "s8", "int16": "s16", "float32": "f32"}


def _geometry(p: dict) -> str:
    batches, in_h, in_w, in_channels = p["input_shape"]
    _, filter_h, filter_w, _ = p["weights_shape"]
    _, out_h, out_w, out_channels = p["output_shape"]
    values = (("batches", batches), ("input_height", in_h), ("input_width", in_w), ("input_channels", in_channels),
              ("filter_height", filter_h), ("filter_width", filter_w), ("output_height", out_h),
              ("output_width", out_w), ("output_channels", out_channels), ("stride_height", p["stride_h"]),
              ("stride_width", p["stride_w"]), ("pad_height", p["pad_h"]), ("pad_width", p["pad_w"]))
    return "{ " + ", ".join(f".{name} = {c_int(value)}" for name, value in values) + " }"


def _bias(call: KernelCall, context: EmitContext) -> str:
    """The bias tensor as TFLM reads it; a 16x8 int16 bias is widened to int64 at compile time."""
    g, op, p = call.graph, call.op, call.params
    if not p["has_bias"]:
        return "NULL"
    index = op.inputs[3]
    bias = context.model.graphs[g].tensors[index]
    if p["dtype"] != "int16" or bias.dtype == "int64":
        return context.tensor(g, index)
    if not bias.is_constant:
        raise UnsupportedModelError(f"TRANSPOSE_CONV #{op.index}: an int16 bias computed at run time is not "
                                    "supported by the C backend; make the bias constant or int64")
    return context.const_array(f"g{g}_op{op.index}_bias", bias.data.astype(np.int64), "int64_t")


def emit(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    suffix = _SUFFIX[p["dtype"]]
    fields = [("input", context.tensor(g, op.inputs[2])), ("weights", context.tensor(g, op.inputs[1])),
              ("bias", _bias(call, context)), ("output", context.tensor(g, op.outputs[0])),
              ("geometry", _geometry(p))]
    if suffix == "f32":
        bound = c_float
    else:
        bound = c_int
        name = f"g{g}_op{op.index}"
        if suffix == "s8":
            fields += [("input_offset", c_int(p["input_offset"])), ("output_offset", c_int(p["output_offset"]))]
        fields += [("multiplier", context.const_array(f"{name}_multiplier",
                                                      np.asarray(p["output_multiplier"], np.int32), "int32_t")),
                   ("shift", context.const_array(f"{name}_shift", np.asarray(p["output_shift"], np.int32), "int32_t"))]
    fields += [("activation_min", bound(p["activation_min"])), ("activation_max", bound(p["activation_max"]))]
    return CCall(f"mcu_transpose_conv_{suffix}", f"mcu_transpose_conv_{suffix}_params_t", tuple(fields), HEADER,
                 (f"portable/transpose_conv_{suffix}.c",))


EMITTERS = {"TRANSPOSE_CONV": emit}
