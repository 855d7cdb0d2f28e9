"""C for the shape operators that move bytes: CONCATENATION, SPLIT, SPLIT_V, PAD, and STRIDED_SLICE
and TRANSPOSE as one strided copy. All geometry is resolved here to byte counts and byte steps;
the C kernels only know an element size."""
from __future__ import annotations

import numpy as np

from ...lowering import KernelCall
from ..cformat import C_TYPES
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/shape.h"
PAD_RANK = 5  # MCU_PAD_RANK
STRIDED_COPY_RANK = 5  # MCU_STRIDED_COPY_RANK


def _c_list(values, cast: str = "") -> str:
    return f"{cast}{{{', '.join(str(v) for v in values)}}}"


def _byte_strides(shape, element_bytes: int) -> list[int]:
    """Bytes between neighbours along each axis of a row-major tensor."""
    strides, stride = [], element_bytes
    for size in reversed(shape):
        strides.insert(0, stride)
        stride *= size
    return strides


def _concatenation(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    graph = context.model.graphs[g]
    element = np.dtype(p["dtype"]).itemsize
    copy_bytes = [size * p["inner_size"] * element for size in p["input_axis_sizes"]]
    sources = [context.tensor(g, index) for index in op.inputs]
    if p["outer_size"] == 1:
        # The planner may have placed inputs in their slices of the output: those need no copy
        # (emit_call already drops a concatenation whose inputs all are).
        position = context.arena_offset(g, op.outputs[0])
        for k, (index, nbytes) in enumerate(zip(op.inputs, copy_bytes)):
            if not graph.tensors[index].is_constant and context.arena_offset(g, index) == position:
                sources[k] = "NULL"
            position += nbytes
    return CCall("mcu_concatenation", "mcu_concatenation_params_t",
                 (("inputs", _c_list(sources, "(const void *const[])")),
                  ("copy_bytes", context.const_array(f"g{g}_op{op.index}_copy_bytes",
                                                     np.array(copy_bytes, np.int32), "int32_t")),
                  ("input_count", str(len(sources))), ("output", context.tensor(g, op.outputs[0])),
                  ("outer_size", str(p["outer_size"]))),
                 HEADER, ("portable/concatenation.c",))


def _split(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    element = np.dtype(p["dtype"]).itemsize
    copy_bytes = np.array([size * p["inner_size"] * element for size in p["output_axis_sizes"]], np.int32)
    return CCall("mcu_split", "mcu_split_params_t",
                 (("input", context.tensor(g, op.inputs[p["data_input"]])),
                  ("outputs", _c_list([context.tensor(g, index) for index in op.outputs], "(void *const[])")),
                  ("copy_bytes", context.const_array(f"g{g}_op{op.index}_copy_bytes", copy_bytes, "int32_t")),
                  ("output_count", str(len(op.outputs))), ("outer_size", str(p["outer_size"]))),
                 HEADER, ("portable/split.c",))


def _pad(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    # An axis padded on neither side joins its outer neighbour, so rows are as long as possible.
    axes: list[tuple[int, int, int]] = []
    for size, before, after in zip(p["input_shape"], p["left_padding"], p["right_padding"]):
        if axes and before == 0 and after == 0:
            outer_size, outer_before, outer_after = axes[-1]
            axes[-1] = (outer_size * size, outer_before * size, outer_after * size)
        else:
            axes.append((size, before, after))
    axes = [(1, 0, 0)] * (PAD_RANK - len(axes)) + axes
    if p["pad_value"] is None:  # supplied at run time by the third input
        value = context.tensor(g, op.inputs[2])
    else:
        value = context.const_array(f"g{g}_op{op.index}_pad_value", np.asarray(p["pad_value"]).reshape(1),
                                    C_TYPES[p["dtype"]])
    return CCall("mcu_pad", "mcu_pad_params_t",
                 (("input", context.tensor(g, op.inputs[0])), ("output", context.tensor(g, op.outputs[0])),
                  ("pad_value", value), ("element_bytes", str(np.dtype(p["dtype"]).itemsize)),
                  ("input_dims", _c_list(a[0] for a in axes)), ("before", _c_list(a[1] for a in axes)),
                  ("after", _c_list(a[2] for a in axes))),
                 HEADER, ("portable/pad.c",))


def _strided_copy(call: KernelCall, context: EmitContext, element_bytes: int, start_offset: int,
                  counts, steps) -> CCall | None:
    """Output element i (row-major over counts) is the input element at start_offset + sum index*step."""
    if 0 in counts:
        return None  # an empty output: nothing to write
    axes: list[tuple[int, int]] = []
    for count, step in zip(counts, steps):
        if count == 1:
            continue
        if axes and axes[-1][1] == step * count:  # the outer axis continues this one
            axes[-1] = (axes[-1][0] * count, step)
        else:
            axes.append((count, step))
    if axes and axes[-1][1] == element_bytes:  # a contiguous innermost run is copied as one element
        element_bytes *= axes.pop()[0]
    axes = [(1, 0)] * (STRIDED_COPY_RANK - len(axes)) + axes
    g, op = call.graph, call.op
    return CCall("mcu_strided_copy", "mcu_strided_copy_params_t",
                 (("input", context.tensor(g, op.inputs[0])), ("output", context.tensor(g, op.outputs[0])),
                  ("element_bytes", str(element_bytes)), ("start_offset", str(start_offset)),
                  ("counts", _c_list(a[0] for a in axes)), ("steps", _c_list(a[1] for a in axes))),
                 HEADER, ("portable/strided_copy.c",))


def _strided_slice(call: KernelCall, context: EmitContext) -> CCall | None:
    p = call.params
    element = np.dtype(p["dtype"]).itemsize
    strides = _byte_strides(p["input_shape"], element)
    counts = [len(range(*axis)) for axis in zip(p["starts"], p["stops"], p["strides"])]
    steps = [step * stride for step, stride in zip(p["strides"], strides)]
    start_offset = sum(start * stride for start, stride in zip(p["starts"], strides))
    return _strided_copy(call, context, element, start_offset, counts, steps)


def _transpose(call: KernelCall, context: EmitContext) -> CCall | None:
    p = call.params
    element = np.dtype(p["dtype"]).itemsize
    strides = _byte_strides(p["input_shape"], element)
    return _strided_copy(call, context, element, 0, [p["input_shape"][axis] for axis in p["perm"]],
                         [strides[axis] for axis in p["perm"]])


EMITTERS = {
    "CONCATENATION": _concatenation,
    "SPLIT": _split,
    "SPLIT_V": _split,
    "PAD": _pad,
    "STRIDED_SLICE": _strided_slice,
    "TRANSPOSE": _transpose,
}
