"""AVERAGE_POOL_2D and MAX_POOL_2D on NHWC tensors, as TFLM's reference pooling kernels.

Windows are clipped to the input: padded cells are skipped, so an average divides by the number
of valid cells under the window, not by the filter area.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator
from . import Kernel, Params
from .common import (
    FLOAT32_LOWEST,
    clamp_like_c,
    float_activation_range,
    fused_activation,
    quantized_activation_range,
    unsupported,
)


# Lowering ------------------------------------------------------------------------------------

def _out_size_and_padding(padding: str, in_size: int, filter_size: int, stride: int) -> tuple[int, int]:
    """ComputeOutSize and ComputePaddingWithOffset for one spatial dimension (dilation 1)."""
    if padding == "SAME":
        out_size = (in_size + stride - 1) // stride
    else:
        out_size = max(0, in_size + stride - filter_size) // stride
    total_padding = max(0, (out_size - 1) * stride + filter_size - in_size)
    return out_size, total_padding // 2


def _check_same_quantization(op: Operator, graph: Graph) -> None:
    """PoolingPrepare insists the output keeps the input's scale (within 1e-6) and zero point."""
    input_q = graph.tensors[op.inputs[0]].quantization
    output_q = graph.tensors[op.outputs[0]].quantization
    if input_q is None or output_q is None:
        raise unsupported(op, "quantised input and output need quantisation parameters", "reconvert the model")
    scale_diff = abs(np.float32(input_q.scale) - np.float32(output_q.scale))
    if float(scale_diff) > 1.0e-6 or input_q.zero_point != output_q.zero_point:
        raise unsupported(op, "TFLM requires the output quantisation to equal the input's "
                              f"(input scale {input_q.scale} zero point {input_q.zero_point}, output scale "
                              f"{output_q.scale} zero point {output_q.zero_point})", "reconvert the model")


def _check_types(op: Operator, input_tensor, output_tensor) -> None:
    dtype = input_tensor.dtype
    if dtype not in ("float32", "int8", "int16"):
        raise unsupported(op, f"TFLM pools float32, int8 and int16 tensors, not {dtype}",
                          "convert the model to one of those types")
    if output_tensor.dtype != dtype:
        raise unsupported(op, f"output type {output_tensor.dtype} differs from input type {dtype}",
                          "TFLM needs them equal")
    if len(input_tensor.shape) != 4:
        raise unsupported(op, f"input must be 4-D NHWC, got shape {list(input_tensor.shape)}",
                          "reconvert the model with NHWC tensors")


def _window_geometry(op: Operator, input_shape: tuple[int, ...], output_shape: tuple[int, ...]) -> Params:
    """Filter, strides and the top/left padding TFLM's CalculateOpDataPooling derives."""
    attrs = op.attrs
    batches, in_h, in_w, channels = input_shape
    filter_h, filter_w = int(attrs["filter_height"]), int(attrs["filter_width"])
    stride_h, stride_w = int(attrs["stride_h"]), int(attrs["stride_w"])
    padding = attrs["padding"]
    if min(filter_h, filter_w, stride_h, stride_w) <= 0 or padding not in ("SAME", "VALID"):
        raise unsupported(op, f"invalid pooling options (filter {filter_h}x{filter_w}, stride "
                              f"{stride_h}x{stride_w}, padding {padding})", "reconvert the model")
    out_h, pad_h = _out_size_and_padding(padding, in_h, filter_h, stride_h)
    out_w, pad_w = _out_size_and_padding(padding, in_w, filter_w, stride_w)
    if out_h == 0 or out_w == 0:
        raise unsupported(op, f"a {filter_h}x{filter_w} VALID window does not fit the {in_h}x{in_w} input, so "
                              "the output is empty", "use SAME padding or a smaller filter")
    pooled_shape = (batches, out_h, out_w, channels)
    if output_shape != pooled_shape:
        raise unsupported(op, f"output shape {list(output_shape)} does not match the pooled shape "
                              f"{list(pooled_shape)}", "reconvert the model")
    return {"filter_h": filter_h, "filter_w": filter_w, "stride_h": stride_h, "stride_w": stride_w,
            "pad_h": pad_h, "pad_w": pad_w}


def _lower_pool(op: Operator, graph: Graph) -> Params:
    input_tensor = graph.tensors[op.inputs[0]]
    output_tensor = graph.tensors[op.outputs[0]]
    _check_types(op, input_tensor, output_tensor)
    input_shape = tuple(int(d) for d in input_tensor.shape)
    output_shape = tuple(int(d) for d in output_tensor.shape)
    params: Params = {"dtype": input_tensor.dtype, "input_shape": input_shape, "output_shape": output_shape}
    params.update(_window_geometry(op, input_shape, output_shape))
    if input_tensor.dtype == "float32":
        params["activation_min"], params["activation_max"] = float_activation_range(fused_activation(op))
    else:
        _check_same_quantization(op, graph)
        params["activation_min"], params["activation_max"] = quantized_activation_range(op, output_tensor)
    return params


# Computation ---------------------------------------------------------------------------------

def _valid_taps_per_output(in_size: int, out_size: int, filter_size: int, stride: int, pad: int) -> np.ndarray:
    """Number of filter taps of each output position that land inside the input (one axis)."""
    origin = np.arange(out_size, dtype=np.int64) * stride - pad
    start = np.maximum(0, -origin)
    end = np.minimum(filter_size, in_size - origin)
    return np.maximum(end - start, 0)


def _padded(params: Params, x: np.ndarray, fill) -> np.ndarray:
    """The input with `fill` around it, so that every tap of every window can be sliced."""
    _, in_h, in_w, _ = params["input_shape"]
    _, out_h, out_w, _ = params["output_shape"]
    bottom = max(0, (out_h - 1) * params["stride_h"] + params["filter_h"] - params["pad_h"] - in_h)
    right = max(0, (out_w - 1) * params["stride_w"] + params["filter_w"] - params["pad_w"] - in_w)
    widths = ((0, 0), (params["pad_h"], bottom), (params["pad_w"], right), (0, 0))
    return np.pad(x, widths, constant_values=fill)


def _taps(params: Params, padded: np.ndarray):
    """Yield, in TFLM's filter_y-then-filter_x order, the input cell under every window."""
    _, out_h, out_w, _ = params["output_shape"]
    sh, sw = params["stride_h"], params["stride_w"]
    for fy in range(params["filter_h"]):
        for fx in range(params["filter_w"]):
            yield padded[:, fy:fy + (out_h - 1) * sh + 1:sh, fx:fx + (out_w - 1) * sw + 1:sw, :]


def _valid_counts(params: Params) -> np.ndarray:
    """Valid cells under each window, shaped (1, out_h, out_w, 1) to broadcast over N and C."""
    _, in_h, in_w, _ = params["input_shape"]
    _, out_h, out_w, _ = params["output_shape"]
    rows = _valid_taps_per_output(in_h, out_h, params["filter_h"], params["stride_h"], params["pad_h"])
    cols = _valid_taps_per_output(in_w, out_w, params["filter_w"], params["stride_w"], params["pad_w"])
    return (rows[:, None] * cols[None, :])[None, :, :, None]


def _average_float(params: Params, x: np.ndarray) -> np.ndarray:
    # Zero padding is exact: TFLM's running total starts at +0.0 and so is never -0.0, and adding
    # +0.0 to any other float32 leaves it unchanged, so padded taps act as skipped taps.
    total = np.zeros(params["output_shape"], dtype=np.float32)
    for tap in _taps(params, _padded(params, x, 0.0)):
        total = total + tap
    average = total / _valid_counts(params).astype(np.float32)
    return clamp_like_c(average, params["activation_min"], params["activation_max"])


def _average_quantized(params: Params, x: np.ndarray) -> np.ndarray:
    total = np.zeros(params["output_shape"], dtype=np.int64)
    for tap in _taps(params, _padded(params, x.astype(np.int64), 0)):
        total += tap
    count = _valid_counts(params)
    # Round half away from zero, then C's truncating division.
    numerator = np.where(total > 0, total + count // 2, total - count // 2)
    quotient = np.abs(numerator) // count
    average = np.where(numerator < 0, -quotient, quotient)
    return np.clip(average, params["activation_min"], params["activation_max"]).astype(params["dtype"])


def _max_float(params: Params, x: np.ndarray) -> np.ndarray:
    # Padding with the running maximum's start value (lowest float32) never changes the result.
    best = np.full(params["output_shape"], FLOAT32_LOWEST, dtype=np.float32)
    for tap in _taps(params, _padded(params, x, FLOAT32_LOWEST)):
        best = np.where(best < tap, tap, best)
    return clamp_like_c(best, params["activation_min"], params["activation_max"])


def _max_quantized(params: Params, x: np.ndarray) -> np.ndarray:
    lowest = np.iinfo(params["dtype"]).min
    best = np.full(params["output_shape"], lowest, dtype=x.dtype)
    for tap in _taps(params, _padded(params, x, lowest)):
        best = np.maximum(best, tap)
    return np.clip(best, params["activation_min"], params["activation_max"]).astype(params["dtype"])


def _compute_average(params: Params, inputs) -> list[np.ndarray]:
    x = np.asarray(inputs[0]).reshape(params["input_shape"])
    if params["dtype"] == "float32":
        return [_average_float(params, x)]
    return [_average_quantized(params, x)]


def _compute_max(params: Params, inputs) -> list[np.ndarray]:
    x = np.asarray(inputs[0]).reshape(params["input_shape"])
    if params["dtype"] == "float32":
        return [_max_float(params, x)]
    return [_max_quantized(params, x)]


KERNELS = {
    "AVERAGE_POOL_2D": Kernel(lower=_lower_pool, compute=_compute_average),
    "MAX_POOL_2D": Kernel(lower=_lower_pool, compute=_compute_max),
}
