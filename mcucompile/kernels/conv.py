"""CONV_2D and DEPTHWISE_CONV_2D, as TFLM's reference kernels compute them.

Three arithmetic paths, chosen by the input dtype:
- int8: int32 accumulation of filter * (input - input_zero_point), per-channel requantisation with
  the double-rounding MultiplyByQuantizedMultiplier, output zero point added, then clamped. The
  filter zero point is ignored (TFLM assumes symmetric filters).
- int16 activations with int8 filters ("16x8"): zero points are ignored; the accumulator is int64
  and requantised with the int64 MultiplyByQuantizedMultiplier, except for CONV_2D with an int32
  bias (or no bias and quantized_bias_type INT32), which accumulates in int32 and requantises with
  the int32 routine.
- float32: per output element, products added in TFLM's loop order (filter row, filter column,
  input channel) with float32 rounding at every step, then the bias, then the clamp.

Layouts are TFLite's: input NHWC, CONV_2D filter [out, h, w, in / groups], DEPTHWISE_CONV_2D
filter [1, h, w, in * depth_multiplier] where output channel oc reads input channel
oc // depth_multiplier.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator, Tensor
from . import Kernel, Params
from .common import (
    check_weighted_dtypes,
    clamp_like_c,
    float_activation_range,
    fused_activation,
    quantized_activation_range,
    require_quantization,
    unsupported,
)
from .fixedpoint import (
    multiply_by_quantized_multiplier,
    multiply_by_quantized_multiplier_int64,
    quantize_multipliers,
    wrap_int32,
)

_TENSOR_TYPE_INT32 = 2  # schema TensorType.INT32, as quantized_bias_type holds it

# Bias dtypes each operator reads per input dtype; anything else TFLM would misread.
_BIAS_DTYPES = {
    "CONV_2D": {"float32": ("float32",), "int8": ("int32",), "int16": ("int32", "int64")},
    "DEPTHWISE_CONV_2D": {"float32": ("float32",), "int8": ("int32",), "int16": ("int64",)},
}


# ---------------------------------------------------------------------------------------------
# Prepare
# ---------------------------------------------------------------------------------------------
def _out_size(padding: str, image: int, filter_size: int, stride: int, dilation: int) -> int | None:
    """TFLM's ComputeOutSizeChecked; None where it fails (C division truncates toward zero)."""
    effective = (filter_size - 1) * dilation + 1
    numerator = image + stride - 1 if padding == "SAME" else image + stride - effective
    value = -(-numerator // stride) if numerator < 0 else numerator // stride
    return None if value < 0 else value


def _padding_before(stride: int, dilation: int, image: int, filter_size: int, out: int) -> tuple[int, int]:
    """TFLM's ComputePaddingWithOffset: (padding before, extra padding after when the total is odd)."""
    effective = (filter_size - 1) * dilation + 1
    total = max((out - 1) * stride + effective - image, 0)
    return total // 2, total % 2


def _padding(op: Operator, input_hw, filter_hw, strides, dilations) -> dict:
    """Top/left padding from TFLM's ComputePaddingHeightWidth. TFLM derives it from the output
    size it computes itself, not from the output tensor, and zeroes everything if that fails."""
    padding = op.attrs["padding"]
    if padding == "EXPLICIT":  # set by the fold-pad pass: a folded PAD's top and left amounts
        pad_h, pad_w = op.attrs["explicit_padding"]
        return {"pad_h": pad_h, "pad_w": pad_w, "pad_h_offset": 0, "pad_w_offset": 0}
    outs = [_out_size(padding, i, f, s, d) for i, f, s, d in zip(input_hw, filter_hw, strides, dilations)]
    if None in outs:
        return {"pad_h": 0, "pad_w": 0, "pad_h_offset": 0, "pad_w_offset": 0}
    (pad_h, off_h), (pad_w, off_w) = [_padding_before(s, d, i, f, o) for s, d, i, f, o
                                      in zip(strides, dilations, input_hw, filter_hw, outs)]
    return {"pad_h": pad_h, "pad_w": pad_w, "pad_h_offset": off_h, "pad_w_offset": off_w}


def _geometry(op: Operator, input_t: Tensor, filter_t: Tensor, output_t: Tensor) -> dict:
    for role, tensor in (("input", input_t), ("filter", filter_t), ("output", output_t)):
        if len(tensor.shape) != 4:
            raise unsupported(op, f"the {role} has shape {list(tensor.shape)}, not 4-D",
                              "TFLM only runs 4-D NHWC convolutions")
    strides = (int(op.attrs["stride_h"]), int(op.attrs["stride_w"]))
    dilations = (int(op.attrs["dilation_h_factor"]), int(op.attrs["dilation_w_factor"]))
    if min(strides + dilations) <= 0:
        raise unsupported(op, f"strides {strides} and dilations {dilations} must be positive",
                          "re-export the model")
    if op.attrs["padding"] not in ("SAME", "VALID", "EXPLICIT"):
        raise unsupported(op, f"padding {op.attrs['padding']!r}", "use SAME or VALID padding")
    if input_t.shape[0] != output_t.shape[0]:
        raise unsupported(op, "input and output batch sizes differ", "re-export the model")
    input_hw, filter_hw = input_t.shape[1:3], filter_t.shape[1:3]
    return {
        "input_shape": tuple(input_t.shape),
        "filter_shape": tuple(filter_t.shape),
        "output_shape": tuple(output_t.shape),
        "stride_h": strides[0], "stride_w": strides[1],
        "dilation_h": dilations[0], "dilation_w": dilations[1],
        **_padding(op, input_hw, filter_hw, strides, dilations),
    }


def _channel_layout(op: Operator, input_t: Tensor, filter_t: Tensor, output_t: Tensor) -> dict:
    """Groups for CONV_2D, depth multiplier for DEPTHWISE_CONV_2D (channel counts must agree)."""
    in_depth, out_depth = input_t.shape[3], output_t.shape[3]
    if op.kind == "CONV_2D":
        filter_depth = filter_t.shape[3]
        if (filter_t.shape[0] != out_depth or filter_depth == 0 or in_depth % filter_depth
                or out_depth % (in_depth // filter_depth)):
            raise unsupported(op, f"filter {list(filter_t.shape)} does not fit input depth {in_depth} "
                                  f"and output depth {out_depth}", "re-export the model")
        return {"groups": in_depth // filter_depth}
    multiplier = int(op.attrs["depth_multiplier"])
    if filter_t.shape[0] != 1 or filter_t.shape[3] != out_depth or out_depth != in_depth * multiplier:
        raise unsupported(op, f"filter {list(filter_t.shape)}, input depth {in_depth}, output depth "
                              f"{out_depth} and depth_multiplier {multiplier} do not agree",
                          "re-export the model")
    return {"depth_multiplier": multiplier}


def _filter_channel_axis(op: Operator) -> int:
    return 0 if op.kind == "CONV_2D" else 3


def _requantisation(op: Operator, input_t: Tensor, filter_t: Tensor, output_t: Tensor) -> dict:
    """PopulateConvolutionQuantizationParams: one multiplier and shift per output channel."""
    require_quantization(op, input=input_t, filter=filter_t, output=output_t)
    axis = _filter_channel_axis(op)
    channels = filter_t.shape[axis]
    scales, scale_axis = filter_t.quantization.scales, filter_t.quantization.axis
    # Like TFLM, accept per-channel scales on any axis whose size is the output channel count.
    if len(scales) not in (1, channels) or (len(scales) > 1 and filter_t.shape[scale_axis] != channels):
        raise unsupported(op, f"{len(scales)} filter scales on axis {scale_axis}",
                          f"quantise the filter per tensor or per channel on axis {axis}")
    input_scale, output_scale = float(input_t.quantization.scale), float(output_t.quantization.scale)
    effective = [input_scale * float(s) / output_scale for s in np.broadcast_to(scales, (channels,))]
    multipliers, shifts = quantize_multipliers(effective)
    act_min, act_max = quantized_activation_range(op, output_t)
    return {
        "input_offset": -input_t.quantization.zero_point,
        "output_offset": output_t.quantization.zero_point,
        "output_multiplier": multipliers.astype(np.int32),
        "output_shift": shifts.astype(np.int32),
        "activation_min": act_min,
        "activation_max": act_max,
    }


def _accumulator(op: Operator, input_dtype: str, bias_t: Tensor | None) -> str:
    """Which accumulator TFLM's Eval picks: int64 only for 16x8 without an int32 bias."""
    if input_dtype != "int16":
        return "int32"
    if op.kind == "CONV_2D" and (
            (bias_t is not None and bias_t.dtype == "int32")
            or (bias_t is None and op.attrs.get("quantized_bias_type") == _TENSOR_TYPE_INT32)):
        return "int32"
    return "int64"


def lower_conv(op: Operator, graph: Graph) -> Params:
    inputs = graph.input_tensors(op)
    if len(inputs) not in (2, 3) or len(op.outputs) != 1:
        raise unsupported(op, f"{len(inputs)} inputs and {len(op.outputs)} outputs",
                          "expected input, filter, optional bias and one output")
    input_t, filter_t = inputs[0], inputs[1]
    bias_t = inputs[2] if len(inputs) == 3 else None
    output_t = graph.tensors[op.outputs[0]]
    check_weighted_dtypes(op, input_t, filter_t, bias_t, output_t, _BIAS_DTYPES[op.kind])
    params: Params = {
        "kind": op.kind,
        "dtype": input_t.dtype,
        "has_bias": bias_t is not None,
        **_geometry(op, input_t, filter_t, output_t),
        **_channel_layout(op, input_t, filter_t, output_t),
    }
    if bias_t is not None and bias_t.num_elements != output_t.shape[3]:
        raise unsupported(op, f"the bias has {bias_t.num_elements} elements for {output_t.shape[3]} "
                              "output channels", "re-export the model")
    if input_t.dtype == "float32":
        params["activation_min"], params["activation_max"] = float_activation_range(fused_activation(op))
    else:
        params.update(_requantisation(op, input_t, filter_t, output_t))
        params["accumulator"] = _accumulator(op, input_t.dtype, bias_t)
    return params


# ---------------------------------------------------------------------------------------------
# Eval
# ---------------------------------------------------------------------------------------------
def _pad_input(x: np.ndarray, params: Params, kernel_hw) -> np.ndarray:
    """Zero-pad so every tap of every output position reads inside the array. Callers only pad
    values that contribute nothing (offset-corrected integers) or mask the padded taps out."""
    _, height, width, _ = x.shape
    _, out_h, out_w, _ = params["output_shape"]
    need_h = (out_h - 1) * params["stride_h"] + (kernel_hw[0] - 1) * params["dilation_h"] + 1
    need_w = (out_w - 1) * params["stride_w"] + (kernel_hw[1] - 1) * params["dilation_w"] + 1
    bottom = max(0, need_h - params["pad_h"] - height)
    right = max(0, need_w - params["pad_w"] - width)
    return np.pad(x, ((0, 0), (params["pad_h"], bottom), (params["pad_w"], right), (0, 0)))


def _tap(padded: np.ndarray, params: Params, fy: int, fx: int) -> np.ndarray:
    """The input values filter tap (fy, fx) meets at every output position: [N, OH, OW, C]."""
    _, out_h, out_w, _ = params["output_shape"]
    y0, x0 = fy * params["dilation_h"], fx * params["dilation_w"]
    sh, sw = params["stride_h"], params["stride_w"]
    return padded[:, y0:y0 + (out_h - 1) * sh + 1:sh, x0:x0 + (out_w - 1) * sw + 1:sw, :]


def _tap_inside_image(params: Params, fy: int, fx: int) -> np.ndarray:
    """[1, OH, OW, 1] mask of the output positions where tap (fy, fx) lies inside the image."""
    _, height, width, _ = params["input_shape"]
    _, out_h, out_w, _ = params["output_shape"]
    in_y = np.arange(out_h) * params["stride_h"] - params["pad_h"] + fy * params["dilation_h"]
    in_x = np.arange(out_w) * params["stride_w"] - params["pad_w"] + fx * params["dilation_w"]
    inside = ((in_y >= 0) & (in_y < height))[:, None] & ((in_x >= 0) & (in_x < width))[None, :]
    return inside[None, :, :, None]


def _conv_sums(x: np.ndarray, w: np.ndarray, params: Params) -> np.ndarray:
    """Integer sums of x * w for CONV_2D (x offset-corrected and zero-padded), as one int64
    im2col matrix product per group: exact, and wrapped to int32 later where TFLM wraps."""
    _, kh, kw, filter_depth = w.shape
    groups = params["groups"]
    n, out_h, out_w, out_depth = params["output_shape"]
    per_group = out_depth // groups
    patches = np.stack([_tap(x, params, fy, fx) for fy in range(kh) for fx in range(kw)], axis=3)
    sums = np.empty((n, out_h, out_w, out_depth), dtype=np.int64)
    for g in range(groups):
        cols = patches[..., g * filter_depth:(g + 1) * filter_depth].reshape(n * out_h * out_w, -1)
        rows = w[g * per_group:(g + 1) * per_group].reshape(per_group, -1).astype(np.int64)
        sums[..., g * per_group:(g + 1) * per_group] = (cols @ rows.T).reshape(n, out_h, out_w, -1)
    return sums


def _depthwise_sums(x: np.ndarray, w: np.ndarray, params: Params) -> np.ndarray:
    """Integer sums for DEPTHWISE_CONV_2D, one filter tap at a time in int64."""
    _, kh, kw, _ = w.shape
    repeated = np.repeat(x, params["depth_multiplier"], axis=3)
    sums = np.zeros(params["output_shape"], dtype=np.int64)
    for fy in range(kh):
        for fx in range(kw):
            sums += _tap(repeated, params, fy, fx) * w[0, fy, fx].astype(np.int64)
    return sums


def _integer_sums(x: np.ndarray, w: np.ndarray, params: Params) -> np.ndarray:
    padded = _pad_input(x, params, w.shape[1:3])
    return (_conv_sums if params["kind"] == "CONV_2D" else _depthwise_sums)(padded, w, params)


def _compute_int8(params: Params, x, w, bias) -> np.ndarray:
    # Padding with zero after adding the input offset is the same as TFLM skipping outside taps.
    acc = wrap_int32(_integer_sums(x.astype(np.int64) + params["input_offset"], w, params))
    if bias is not None:
        acc = wrap_int32(acc + bias.astype(np.int64))
    acc = multiply_by_quantized_multiplier(acc, params["output_multiplier"], params["output_shift"])
    acc = wrap_int32(acc + params["output_offset"])
    return np.clip(acc, params["activation_min"], params["activation_max"]).astype(np.int8)


def _compute_int16(params: Params, x, w, bias) -> np.ndarray:
    acc = _integer_sums(x.astype(np.int64), w, params)
    if params["accumulator"] == "int32":
        acc = wrap_int32(acc)
        if bias is not None:
            acc = wrap_int32(acc + bias.astype(np.int64))
        scaled = multiply_by_quantized_multiplier(acc, params["output_multiplier"], params["output_shift"])
    else:
        if bias is not None:
            acc = acc + bias.astype(np.int64)  # int64 wraps like C would
        scaled = multiply_by_quantized_multiplier_int64(acc, params["output_multiplier"],
                                                        params["output_shift"])
    return np.clip(scaled, params["activation_min"], params["activation_max"]).astype(np.int16)


def _float_taps(params: Params, w: np.ndarray):
    """(fy, fx, tap mask, input channel per output channel, weight per output channel) in TFLM's
    accumulation order: filter row, filter column, then input channel within the group."""
    out_depth = params["output_shape"][3]
    _, kh, kw, _ = w.shape
    for fy in range(kh):
        for fx in range(kw):
            inside = _tap_inside_image(params, fy, fx)
            if params["kind"] == "DEPTHWISE_CONV_2D":
                yield fy, fx, inside, np.arange(out_depth) // params["depth_multiplier"], w[0, fy, fx]
                continue
            filter_depth = w.shape[3]
            group_base = np.arange(out_depth) // (out_depth // params["groups"]) * filter_depth
            for ic in range(filter_depth):
                yield fy, fx, inside, group_base + ic, w[:, fy, fx, ic]


def _compute_float(params: Params, x, w, bias) -> np.ndarray:
    padded = _pad_input(x, params, w.shape[1:3])
    total = np.zeros(params["output_shape"], dtype=np.float32)
    for fy, fx, inside, channels, weights in _float_taps(params, w):
        # Separate float32 multiply and add (no fused multiply-add); outside taps are skipped.
        term = _tap(padded, params, fy, fx)[..., channels] * weights
        total = np.where(inside, total + term, total)
    bias_value = bias.astype(np.float32) if bias is not None else np.float32(0.0)
    total = total + bias_value
    return clamp_like_c(total, params["activation_min"], params["activation_max"])


_COMPUTE_BY_DTYPE = {"int8": _compute_int8, "int16": _compute_int16, "float32": _compute_float}


def compute_conv(params: Params, inputs: list) -> list[np.ndarray]:
    x = inputs[0].reshape(params["input_shape"])
    w = inputs[1].reshape(params["filter_shape"])
    bias = inputs[2].ravel() if params["has_bias"] else None
    return [_COMPUTE_BY_DTYPE[params["dtype"]](params, x, w, bias)]


KERNELS = {
    "CONV_2D": Kernel(lower=lower_conv, compute=compute_conv),
    "DEPTHWISE_CONV_2D": Kernel(lower=lower_conv, compute=compute_conv),
}
