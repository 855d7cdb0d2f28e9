"""C for AVERAGE_POOL_2D and MAX_POOL_2D: int8, int16 and float32 (NHWC)."""
from __future__ import annotations

from ...errors import UnsupportedModelError
from ...lowering import KernelCall
from ..cformat import c_float, c_int
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/pooling.h"
_SUFFIX = {"int8": "s8", "int16": "s16", "float32": "f32"}
_KERNEL = {"AVERAGE_POOL_2D": "avg_pool", "MAX_POOL_2D": "max_pool"}
_MAGNITUDE_BITS = {"int8": 7, "int16": 15}  # |type min| = 2**bits


def _geometry(p: dict) -> str:
    batches, in_h, in_w, channels = p["input_shape"]
    _, out_h, out_w, _ = p["output_shape"]
    values = (("batches", batches), ("input_height", in_h), ("input_width", in_w), ("channels", channels),
              ("output_height", out_h), ("output_width", out_w), ("filter_height", p["filter_h"]),
              ("filter_width", p["filter_w"]), ("stride_height", p["stride_h"]), ("stride_width", p["stride_w"]),
              ("pad_height", p["pad_h"]), ("pad_width", p["pad_w"]))
    return "{ " + ", ".join(f".{name} = {c_int(value)}" for name, value in values) + " }"


def _check_sum_fits(call: KernelCall) -> None:
    """The integer average sums a window in int32, as TFLM does; refuse windows that could overflow."""
    p = call.params
    _, in_h, in_w, _ = p["input_shape"]
    cells = min(p["filter_h"], in_h) * min(p["filter_w"], in_w)
    if (cells << _MAGNITUDE_BITS[p["dtype"]]) + cells // 2 > 1 << 31:  # the sum, then the rounding nudge
        raise UnsupportedModelError(f"{call.op.kind} #{call.op.index}: a {cells}-cell {p['dtype']} window sum "
                                    "can overflow TFLM's int32 accumulator; use a smaller pooling window")


def emit(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    dtype = p["dtype"]
    if call.op.kind == "AVERAGE_POOL_2D" and dtype != "float32":
        _check_sum_fits(call)
    bound = c_float if dtype == "float32" else c_int
    suffix = _SUFFIX[dtype]
    kernel = f"{_KERNEL[op.kind]}_{suffix}"
    fields = (("input", context.tensor(g, op.inputs[0])), ("output", context.tensor(g, op.outputs[0])),
              ("geometry", _geometry(p)), ("activation_min", bound(p["activation_min"])),
              ("activation_max", bound(p["activation_max"])))
    return CCall(f"mcu_{kernel}", f"mcu_pool_{suffix}_params_t", fields, HEADER, (f"portable/{kernel}.c",))


EMITTERS = {"AVERAGE_POOL_2D": emit, "MAX_POOL_2D": emit}
