"""C for CONV_2D and DEPTHWISE_CONV_2D: int8 (bias with the input offset folded in), 16x8 (int64
or TFLM's int32 accumulator) and float32, with groups, depth multiplier, dilation and any padding."""
from __future__ import annotations

import numpy as np

from ...errors import UnsupportedModelError
from ...lowering import KernelCall
from ..cformat import c_float, c_int
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/conv.h"
_NAMES = {"CONV_2D": "conv", "DEPTHWISE_CONV_2D": "depthwise_conv"}
_SUFFIXES = {"int8": "s8", "int16": "s16", "float32": "f32"}


def _geometry(p: dict) -> str:
    """The mcu_conv_geometry_t initializer."""
    batches, in_h, in_w, in_d = p["input_shape"]
    _, out_h, out_w, out_d = p["output_shape"]
    values = {
        "batches": batches, "input_height": in_h, "input_width": in_w, "input_depth": in_d,
        "filter_height": p["filter_shape"][1], "filter_width": p["filter_shape"][2],
        "output_height": out_h, "output_width": out_w, "output_depth": out_d,
        "stride_height": p["stride_h"], "stride_width": p["stride_w"],
        "dilation_height": p["dilation_h"], "dilation_width": p["dilation_w"],
        "pad_top": p["pad_h"], "pad_left": p["pad_w"],
    }
    return "{ " + ", ".join(f".{name} = {c_int(value)}" for name, value in values.items()) + " }"


def _channels(p: dict) -> list[tuple[str, str]]:
    """How output channels map to input channels: groups, or the depth multiplier."""
    if p["kind"] == "CONV_2D":
        return [("filter_depth", c_int(p["filter_shape"][3])),
                ("group_output_depth", c_int(p["output_shape"][3] // p["groups"]))]
    return [("depth_multiplier", c_int(p["depth_multiplier"]))]


def _filter_per_output_channel(call: KernelCall, filter_data: np.ndarray) -> np.ndarray:
    """The filter as [output channel, taps] in int64."""
    p = call.params
    weights = filter_data.astype(np.int64).reshape(p["filter_shape"])
    if p["kind"] == "DEPTHWISE_CONV_2D":
        weights = np.moveaxis(weights, 3, 0)
    return weights.reshape(p["output_shape"][3], -1)


def _folded_int8_bias(call: KernelCall, filter_data: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """bias + input_offset * (sum of the channel's filter), wrapped to int32 like TFLM's sums. The
    kernel subtracts the share of the taps it skips outside the image."""
    p = call.params
    folded = _filter_per_output_channel(call, filter_data).sum(axis=1) * p["input_offset"]
    if bias is not None:
        folded = folded + bias.astype(np.int64)
    return folded.astype(np.int32)  # numpy casts modulo 2**32


def _requantisation(call: KernelCall, context: EmitContext, name: str) -> list[tuple[str, str]]:
    p = call.params
    multiplier = np.asarray(p["output_multiplier"], np.int32)  # one per output channel
    shift = np.asarray(p["output_shift"], np.int32)
    return [("multiplier", context.const_array(f"{name}_multiplier", multiplier, "int32_t")),
            ("shift", context.const_array(f"{name}_shift", shift, "int32_t")),
            ("activation_min", c_int(p["activation_min"])), ("activation_max", c_int(p["activation_max"]))]


def emit(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    graph = context.model.graphs[g]
    name = f"g{g}_op{op.index}"
    filter_t = graph.tensors[op.inputs[1]]
    bias_t = graph.tensors[op.inputs[2]] if p["has_bias"] else None
    # Integer biases are rewritten at compile time, and int8 folds its filter sums into the bias.
    rewritten = {"int8": (filter_t, bias_t), "int16": (bias_t,)}.get(p["dtype"], ())
    if any(t is not None and not t.is_constant for t in rewritten):
        raise UnsupportedModelError(f"{op.kind} #{op.index}: a {p['dtype']} filter or bias computed at run time "
                                    "is not supported by the C backend; make them constant")
    function = f"mcu_{_NAMES[op.kind]}_{_SUFFIXES[p['dtype']]}"
    fields = [("input", context.tensor(g, op.inputs[0])), ("filter", context.tensor(g, op.inputs[1]))]
    output = ("output", context.tensor(g, op.outputs[0]))
    shape = [("geometry", _geometry(p)), *_channels(p)]
    bias = bias_t.data if bias_t is not None else None
    if p["dtype"] == "float32":
        fields += [("bias", context.tensor(g, op.inputs[2]) if bias_t is not None else "NULL"), output, *shape,
                   ("activation_min", c_float(p["activation_min"])), ("activation_max", c_float(p["activation_max"]))]
    elif p["dtype"] == "int8":
        folded = _folded_int8_bias(call, filter_t.data, bias)
        fields += [("bias", context.const_array(f"{name}_bias", folded, "int32_t")), output, *shape,
                   ("input_offset", c_int(p["input_offset"])), ("output_offset", c_int(p["output_offset"])),
                   *_requantisation(call, context, name)]
    else:
        wide = bias.astype(np.int64) if bias is not None else np.zeros(p["output_shape"][3], np.int64)
        fields += [("bias", context.const_array(f"{name}_bias", wide, "int64_t")), output, *shape]
        if op.kind == "CONV_2D":
            fields.append(("int64_accumulator", "1" if p["accumulator"] == "int64" else "0"))
        fields += _requantisation(call, context, name)
    return CCall(function, f"{function}_params_t", tuple(fields), HEADER, (f"portable/{function[4:]}.c",))


EMITTERS = {"CONV_2D": emit, "DEPTHWISE_CONV_2D": emit}
