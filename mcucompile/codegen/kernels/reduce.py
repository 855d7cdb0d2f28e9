"""C for MEAN (int8, int16, float32): the axes become two row-major walks over the input."""
from __future__ import annotations

import numpy as np

from ...errors import UnsupportedModelError
from ...lowering import KernelCall
from ..cformat import c_float, c_int
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/reduce.h"
MAX_DIMS = 4  # MCU_REDUCE_MAX_DIMS
_SUFFIX = {"int8": "s8", "int16": "s16", "float32": "f32"}


def _walks(shape: tuple[int, ...], axes: tuple[int, ...]) -> dict[bool, list[tuple[int, int]]]:
    """(size, stride) per dimension, split into kept (False) and reduced (True) walks, outermost
    first: size-1 dimensions dropped, neighbours of the same kind merged into one."""
    strides = [int(np.prod(shape[d + 1:], dtype=np.int64)) for d in range(len(shape))]
    merged: list[tuple[bool, int, int]] = []
    for d, size in enumerate(shape):
        if size == 1:
            continue
        reduced = d in axes
        if merged and merged[-1][0] == reduced:
            merged[-1] = (reduced, merged[-1][1] * size, strides[d])
        else:
            merged.append((reduced, size, strides[d]))
    return {kind: [(size, stride) for k, size, stride in merged if k == kind] for kind in (False, True)}


def _walk(call: KernelCall, dims: list[tuple[int, int]]) -> str:
    if len(dims) > MAX_DIMS:
        raise UnsupportedModelError(f"MEAN #{call.op.index}: kept and reduced axes alternate in {len(dims)} groups, "
                                    f"more than the C kernel's {MAX_DIMS}; transpose the reduced axes together "
                                    "first")
    dims = dims or [(1, 0)]
    sizes = ", ".join(c_int(size) for size, _ in dims)
    strides = ", ".join(c_int(stride) for _, stride in dims)
    return f"{{ .rank = {len(dims)}, .dims = {{ {sizes} }}, .strides = {{ {strides} }} }}"


def emit(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    walks = _walks(p["input_shape"], p["axes"])
    count = p["count"]
    outputs = int(np.prod([size for size, _ in walks[False]], dtype=np.int64))
    fields = [("input", context.tensor(g, op.inputs[0])), ("output", context.tensor(g, op.outputs[0])),
              ("kept", _walk(call, walks[False])), ("reduced", _walk(call, walks[True])),
              ("outputs", c_int(outputs)), ("count", c_int(count))]
    suffix = _SUFFIX[p["dtype"]]
    if suffix == "f32":
        fields.append(("count_float", c_float(np.float32(count))))
    else:
        # TFLM subtracts input_zero_point * count from the int32 sum; starting the sum there wraps alike.
        sum_offset = (-p["input_zero_point"] * count + (1 << 31)) % (1 << 32) - (1 << 31)
        fields += [("sum_offset", c_int(sum_offset)), ("multiplier", c_int(p["multiplier"])),
                   ("shift", c_int(p["shift"])), ("output_zero_point", c_int(p["output_zero_point"]))]
    return CCall(f"mcu_mean_{suffix}", f"mcu_mean_{suffix}_params_t", tuple(fields), HEADER,
                 (f"portable/mean_{suffix}.c",))


EMITTERS = {"MEAN": emit}
