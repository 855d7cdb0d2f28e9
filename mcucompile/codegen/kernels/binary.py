"""C for ADD, SUB, MUL, MAXIMUM, MINIMUM: the broadcast collapsed to rows at compile time.

Output dimensions of extent 1 are dropped and neighbouring dimensions merged wherever both
inputs advance (or both repeat) across them, so same-shape operands become one flat row and a
scalar operand one row with step 0. The innermost merged dimension is the row; the rest (at
most five, TFLM's rank limit being six) are walked with precomputed element strides.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ...errors import UnsupportedModelError
from ...lowering import KernelCall
from ..cformat import c_float, c_int
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/binary.h"
SUFFIXES = {"float32": "f32", "int8": "s8", "int16": "s16", "int32": "s32", "int64": "s64"}


def _initializer(fields) -> str:
    """A C99 designated initializer from (member, value) pairs."""
    return "{ " + ", ".join(f".{name} = {value}" for name, value in fields) + " }"


def _rows(shape1: tuple[int, ...], shape2: tuple[int, ...], output: tuple[int, ...]) -> str:
    """The mcu_binary_shape_t initializer for input shapes broadcast to `output` (rank <= 6)."""
    rank = len(output)
    padded1 = (1,) * (rank - len(shape1)) + tuple(shape1)
    padded2 = (1,) * (rank - len(shape2)) + tuple(shape2)
    extents: list[int] = []  # merged output dimensions, outermost first
    advances: list[tuple[bool, bool]] = []  # whether input 1 and input 2 advance along each
    for extent, size1, size2 in zip(output, padded1, padded2):
        if extent == 1:
            continue
        moves = (size1 == extent, size2 == extent)
        if advances and advances[-1] == moves:
            extents[-1] *= extent
        else:
            extents.append(extent)
            advances.append(moves)
    if not extents:  # a single element
        extents, advances = [1], [(True, True)]
    count, (step1, step2) = extents.pop(), advances.pop()
    # Element strides of each input across the outer dimensions, innermost first while built.
    inner1, inner2 = (count if step1 else 1), (count if step2 else 1)
    strides1, strides2 = [], []
    for extent, (moves1, moves2) in zip(reversed(extents), reversed(advances)):
        strides1.append(inner1 if moves1 else 0)
        strides2.append(inner2 if moves2 else 0)
        inner1 *= extent if moves1 else 1
        inner2 *= extent if moves2 else 1
    fields = [("count", count), ("step1", int(step1)), ("step2", int(step2)), ("outer_rank", len(extents))]
    if extents:  # otherwise the outer arrays stay zero
        for name, values in (("dims", extents), ("strides1", strides1[::-1]), ("strides2", strides2[::-1])):
            fields.append((name, "{" + ", ".join(str(v) for v in values) + "}"))
    return _initializer(fields)


def _require_zero_points_in_range(call: KernelCall, context: EmitContext, dtype: str) -> None:
    """In range, (x - zero point) shifted or multiplied stays inside int32 as the kernels assume."""
    graph = context.model.graphs[call.graph]
    info = np.iinfo(dtype)
    for index in (*call.op.inputs, *call.op.outputs):
        zero_point = graph.tensors[index].quantization.zero_point
        if not info.min <= zero_point <= info.max:
            raise UnsupportedModelError(f"{call.op.kind} #{call.op.index}: zero point {zero_point} lies outside the "
                                        f"{dtype} range; re-quantise the model")


def _clamp(p, format_bound) -> list[tuple[str, str]]:
    return [("activation_min", format_bound(p["activation_min"])),
            ("activation_max", format_bound(p["activation_max"]))]


def _add_sub_quant(p) -> str:
    def rescale(which: str) -> str:
        return _initializer((member, c_int(p[f"{which}_{member}"])) for member in ("offset", "multiplier", "shift"))
    fields = [("input1", rescale("input1")), ("input2", rescale("input2")), ("left_shift", c_int(p["left_shift"])),
              ("output_offset", c_int(p["output_offset"])), ("output_multiplier", c_int(p["output_multiplier"])),
              ("output_shift", c_int(p["output_shift"])), *_clamp(p, c_int)]
    return _initializer(fields)


def _mul_quant(call: KernelCall, p) -> str:
    if p["output_shift"] > 31:
        raise UnsupportedModelError(f"MUL #{call.op.index}: the rescale factor input1 * input2 / output scale is "
                                    "2**31 or more; use a larger output scale")
    fields = [("input1_offset", c_int(p["input1_offset"])), ("input2_offset", c_int(p["input2_offset"])),
              ("output_offset", c_int(p["output_offset"])), ("output_multiplier", c_int(p["output_multiplier"])),
              ("output_shift", c_int(p["output_shift"])), *_clamp(p, c_int)]
    return _initializer(fields)


def _emit(call: KernelCall, context: EmitContext, operator: str) -> CCall | None:
    g, op, p = call.graph, call.op, call.params
    graph = context.model.graphs[g]
    input1, input2 = (graph.tensors[i] for i in op.inputs)
    output = graph.tensors[op.outputs[0]]
    if output.num_elements == 0:
        return None  # nothing to compute
    dtype, suffix = p["dtype"], SUFFIXES[p["dtype"]]
    fields = [("input1", context.tensor(g, op.inputs[0])), ("input2", context.tensor(g, op.inputs[1])),
              ("output", context.tensor(g, op.outputs[0])),
              ("shape", _rows(input1.shape, input2.shape, output.shape))]
    if operator in ("maximum", "minimum"):
        params_type = f"mcu_minmax_{suffix}_params_t"
    elif dtype == "float32":
        params_type = "mcu_arithmetic_f32_params_t"
        fields += _clamp(p, c_float)
    elif dtype == "int32":
        params_type = "mcu_arithmetic_s32_params_t"
        fields += _clamp(p, c_int)
    else:
        _require_zero_points_in_range(call, context, dtype)
        if operator == "mul":
            params_type = f"mcu_mul_{suffix}_params_t"
            fields.append(("quant", _mul_quant(call, p)))
        else:
            params_type = f"mcu_add_sub_{suffix}_params_t"
            fields.append(("quant", _add_sub_quant(p)))
    function = f"mcu_{operator}_{suffix}"
    return CCall(function, params_type, tuple(fields), HEADER,
                 (f"portable/{operator}_{suffix}.c", "portable/binary_rows.c"))


EMITTERS = {kind: partial(_emit, operator=kind.lower()) for kind in ("ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM")}
