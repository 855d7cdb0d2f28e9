"""TRANSPOSE_CONV, as TFLM's reference kernels compute it (float32, int8 per-channel, 16x8).

Inputs are (output_shape, weights [out_ch, h, w, in_ch], input NHWC, optional bias). TFLM never
reads the output_shape tensor: the output tensor's own shape decides everything.

TFLM scatters: every input pixel adds input * weight into the output window it covers. For each
output element the contributions therefore arrive in increasing (in_y, in_x, in_channel) order,
which is decreasing (filter_y, filter_x) order; the float32 path adds them in exactly that order.
"""
from __future__ import annotations

from typing import Iterator

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

# TFLM reads an int8 model's bias as int32 and a 16x8 model's as int64 (widening int16 first).
_BIAS_DTYPES = {"float32": ("float32",), "int8": ("int32",), "int16": ("int16", "int64")}


# Lowering -----------------------------------------------------------------------------------
def _c_div(a: int, b: int) -> int:
    """C integer division (truncates toward zero)."""
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b > 0) else -quotient


def _conv_output_size(padding: str, image: int, filter_size: int, stride: int) -> int | None:
    """ComputeOutSize, or None where TFLM's checked version fails."""
    if padding not in ("SAME", "VALID") or image < 0 or filter_size <= 0 or stride <= 0:
        return None
    size = _c_div(image + stride - 1, stride) if padding == "SAME" else _c_div(image + stride - filter_size, stride)
    return size if size >= 0 else None


def _padding(padding: str, strides: tuple[int, int], output_hw: tuple[int, int],
             filter_hw: tuple[int, int]) -> tuple[int, int]:
    """TFLM's ComputePaddingHeightWidth, fed the transpose conv's *output* size as the image size
    (the matching forward convolution's input). If either dimension fails, both pads stay 0."""
    sizes = [_conv_output_size(padding, image, filt, stride)
             for image, filt, stride in zip(output_hw, filter_hw, strides)]
    if None in sizes:
        return 0, 0
    return tuple(max(0, (size - 1) * stride + filt - image) // 2
                 for size, image, filt, stride in zip(sizes, output_hw, filter_hw, strides))


def _check_tensors(op: Operator, weights: Tensor, input_: Tensor, bias: Tensor | None, output: Tensor) -> None:
    check_weighted_dtypes(op, input_, weights, bias, output, _BIAS_DTYPES)
    shapes = [input_.shape, weights.shape, output.shape]
    if (any(len(s) != 4 for s in shapes) or input_.shape[0] != output.shape[0]
            or input_.shape[3] != weights.shape[3] or weights.shape[0] != output.shape[3]
            or (bias is not None and bias.num_elements != output.shape[3])):
        raise unsupported(op, f"shapes input {list(input_.shape)}, weights {list(weights.shape)}, output "
                              f"{list(output.shape)} do not fit together",
                          "use NHWC input/output and [out_channels, h, w, in_channels] weights")


def _channel_multipliers(op: Operator, input_: Tensor, weights: Tensor, output: Tensor):
    """PopulateConvolutionQuantizationParams: one multiplier per output channel, a per-tensor
    weight scale broadcast; double(input_scale) * double(weight_scale) / double(output_scale)."""
    require_quantization(op, input=input_, weights=weights, output=output)
    channels = weights.shape[0]
    scales = weights.quantization.scales
    axis = weights.quantization.axis
    if len(scales) != 1 and (len(scales) != channels or weights.shape[axis] != channels):
        raise unsupported(op, f"{len(scales)} weight scales on axis {axis} for {channels} "
                              "output channels", "quantise the weights per tensor or per output channel (axis 0)")
    per_channel_scales = np.broadcast_to(scales, (channels,))
    effective = [input_.quantization.scale * float(s) / output.quantization.scale for s in per_channel_scales]
    return quantize_multipliers(effective)


def _lower_quantized(op: Operator, weights: Tensor, input_: Tensor, output: Tensor) -> Params:
    multiplier, shift = _channel_multipliers(op, input_, weights, output)
    act_min, act_max = quantized_activation_range(op, output)
    is_16x8 = input_.dtype == "int16"
    return {
        # The 16x8 kernel applies neither zero point (it assumes both are 0); int8 applies both.
        # Neither kernel applies the weights' zero point.
        "input_offset": 0 if is_16x8 else -input_.quantization.zero_point,
        "output_offset": 0 if is_16x8 else output.quantization.zero_point,
        "output_multiplier": multiplier,
        "output_shift": shift,
        "activation_min": act_min,
        "activation_max": act_max,
    }


def lower(op: Operator, graph: Graph) -> Params:
    _, weights, input_, *rest = graph.input_tensors(op)
    bias = rest[0] if rest else None
    output = graph.output_tensors(op)[0]
    _check_tensors(op, weights, input_, bias, output)
    strides = (op.attrs.get("stride_h", 1), op.attrs.get("stride_w", 1))
    if min(strides) < 1:
        raise unsupported(op, f"strides {list(strides)}", "strides must be at least 1")
    pad_h, pad_w = _padding(op.attrs.get("padding", "SAME"), strides, output.shape[1:3], weights.shape[1:3])
    params: Params = {
        "dtype": input_.dtype,
        "input_shape": tuple(input_.shape),
        "weights_shape": tuple(weights.shape),
        "output_shape": tuple(output.shape),
        "stride_h": strides[0],
        "stride_w": strides[1],
        "pad_h": pad_h,
        "pad_w": pad_w,
        "has_bias": bias is not None,
    }
    if input_.dtype == "float32":
        params["activation_min"], params["activation_max"] = float_activation_range(fused_activation(op))
    else:
        params.update(_lower_quantized(op, weights, input_, output))
    return params


# Computation --------------------------------------------------------------------------------
def _tap_range(tap: int, stride: int, pad: int, in_size: int, out_size: int) -> tuple[slice, slice] | None:
    """Input positions i with 0 <= i*stride - pad + tap < out_size, and the outputs they hit."""
    first = max(0, -(-(pad - tap) // stride))
    last = min(in_size - 1, (out_size - 1 + pad - tap) // stride)
    if last < first:
        return None
    out_first = first * stride - pad + tap
    return slice(first, last + 1), slice(out_first, out_first + (last - first) * stride + 1, stride)


def _taps(params: Params) -> Iterator[tuple[int, int, tuple, tuple]]:
    """(filter_y, filter_x, input window, output window) per tap, highest taps first: the order
    in which TFLM's scatter reaches any one output element."""
    _, in_h, in_w, _ = params["input_shape"]
    _, filter_h, filter_w, _ = params["weights_shape"]
    _, out_h, out_w, _ = params["output_shape"]
    for fy in reversed(range(filter_h)):
        rows = _tap_range(fy, params["stride_h"], params["pad_h"], in_h, out_h)
        if rows is None:
            continue
        for fx in reversed(range(filter_w)):
            cols = _tap_range(fx, params["stride_w"], params["pad_w"], in_w, out_w)
            if cols is None:
                continue
            yield fy, fx, (slice(None), rows[0], cols[0]), (slice(None), rows[1], cols[1])


def _compute_float(params: Params, x: np.ndarray, weights: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    out = np.zeros(params["output_shape"], dtype=np.float32)
    for fy, fx, in_window, out_window in _taps(params):
        window = x[in_window]
        for ic in range(x.shape[3]):
            out[out_window] = out[out_window] + window[..., ic:ic + 1] * weights[:, fy, fx, ic]
    if bias is not None:
        out = out + bias
    return clamp_like_c(out, params["activation_min"], params["activation_max"])


def _accumulate(params: Params, x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Exact int64 sums of (input + input_offset) * weight; order does not matter for integers."""
    x = x.astype(np.int64) + params["input_offset"]
    weights = weights.astype(np.int64)
    acc = np.zeros(params["output_shape"], dtype=np.int64)
    for fy, fx, in_window, out_window in _taps(params):
        acc[out_window] += x[in_window] @ weights[:, fy, fx, :].T
    return acc


def _compute_quantized(params: Params, x: np.ndarray, weights: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    acc = _accumulate(params, x, weights)
    multiplier, shift = params["output_multiplier"], params["output_shift"]
    if params["dtype"] == "int8":
        # int32 scratch buffer: wrapping once at the end gives the same bits as wrapping per add.
        acc = wrap_int32(acc)
        if bias is not None:
            acc = wrap_int32(acc + bias.astype(np.int64))
        scaled = wrap_int32(multiply_by_quantized_multiplier(acc, multiplier, shift) + params["output_offset"])
    else:
        if bias is not None:
            acc = acc + bias.astype(np.int64)
        scaled = multiply_by_quantized_multiplier_int64(acc, multiplier, shift)
    return np.clip(scaled, params["activation_min"], params["activation_max"]).astype(params["dtype"])


def compute(params: Params, inputs: list[np.ndarray]) -> list[np.ndarray]:
    _, weights, input_, *rest = inputs
    bias = rest[0] if rest else None
    x = np.asarray(input_).reshape(params["input_shape"])
    weights = np.asarray(weights).reshape(params["weights_shape"])
    if params["dtype"] == "float32":
        return [_compute_float(params, x, weights, bias)]
    return [_compute_quantized(params, x, weights, bias)]


KERNELS = {"TRANSPOSE_CONV": Kernel(lower=lower, compute=compute)}
