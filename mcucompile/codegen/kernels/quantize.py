"""C for QUANTIZE and DEQUANTIZE: 8-bit requantisation as a table, wider integers with the lowered
multiplier, float32 in float32 arithmetic."""
from __future__ import annotations

import numpy as np

from ...errors import UnsupportedModelError
from ...lowering import KernelCall
from ..cformat import C_TYPES, c_float, c_int
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/quantize.h"
_DEQUANTIZE_TYPES = {"int8": "MCU_DEQUANTIZE_S8", "uint8": "MCU_DEQUANTIZE_U8", "int16": "MCU_DEQUANTIZE_S16"}


def _tensors(call: KernelCall, context: EmitContext):
    graph = context.model.graphs[call.graph]
    return graph.tensors[call.op.inputs[0]], graph.tensors[call.op.outputs[0]]


def _output_range(dtype: str) -> list[tuple[str, str]]:
    info = np.iinfo(dtype)
    return [("output_min", c_int(info.min)), ("output_max", c_int(info.max))]


def _quantize(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    source, target = _tensors(call, context)
    name = f"g{g}_op{op.index}"
    io = [("input", context.tensor(g, op.inputs[0])), ("output", context.tensor(g, op.outputs[0])),
          ("count", str(target.num_elements))]
    output_bytes = ("output_bytes", str(np.dtype(target.dtype).itemsize))
    if p["mode"] == "affine":
        return CCall("mcu_quantize_f32", "mcu_quantize_f32_params_t",
                     (*io, output_bytes, ("scale", c_float(p["scale"])), ("zero_point", c_int(p["zero_point"])),
                      *_output_range(target.dtype)),
                     HEADER, ("portable/quantize_f32.c",))
    if source.dtype in ("int8", "uint8"):
        # Exact by construction: the reference kernel itself evaluated on every input byte.
        every_byte = np.arange(256, dtype=np.uint8).view(source.dtype)
        table = call.kernel.compute(p, [every_byte])[0]
        io[0] = ("input", f"(const uint8_t *){io[0][1]}")
        return CCall("mcu_quantize_table", "mcu_quantize_table_params_t",
                     (*io, ("table", context.const_array(f"{name}_table", table, C_TYPES[target.dtype])),
                      output_bytes),
                     HEADER, ("portable/quantize_table.c",))
    if p["shift"] > 31:
        raise UnsupportedModelError(f"QUANTIZE #{op.index}: the effective scale (input scale / output scale) "
                                    "is 2^31 or more, which the C backend does not support; re-quantise the model")
    return CCall("mcu_requantize", "mcu_requantize_params_t",
                 (*io, ("input_bytes", str(np.dtype(source.dtype).itemsize)), output_bytes,
                  ("input_zero_point", c_int(p["input_zero_point"])),
                  ("output_zero_point", c_int(p["output_zero_point"])),
                  ("multiplier", c_int(p["multiplier"])), ("shift", c_int(p["shift"])),
                  *_output_range(target.dtype)),
                 HEADER, ("portable/requantize.c",))


def _dequantize(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    _, target = _tensors(call, context)
    info = np.iinfo(p["input_dtype"])
    # One float32 multiply equals TFLM's double product only while q - zero_point converts exactly.
    if max(abs(info.min - p["zero_point"]), abs(info.max - p["zero_point"])) > 1 << 24:
        raise UnsupportedModelError(f"DEQUANTIZE #{op.index}: zero point {p['zero_point']} is too far outside the "
                                    f"{p['input_dtype']} range for the C backend; re-quantise the model")
    return CCall("mcu_dequantize", "mcu_dequantize_params_t",
                 (("input", context.tensor(g, op.inputs[0])), ("output", context.tensor(g, op.outputs[0])),
                  ("count", str(target.num_elements)), ("input_type", _DEQUANTIZE_TYPES[p["input_dtype"]]),
                  ("zero_point", c_int(p["zero_point"])), ("scale", c_float(p["scale"]))),
                 HEADER, ("portable/dequantize.c",))


EMITTERS = {"QUANTIZE": _quantize, "DEQUANTIZE": _dequantize}
