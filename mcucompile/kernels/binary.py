"""Elementwise binary operators: ADD, SUB, MUL, MAXIMUM, MINIMUM, as TFLM's reference kernels.

Broadcasting: TFLM right-aligns both input shapes against the output (at most 6 dimensions)
and stretches size-1 dimensions, exactly numpy's rule. Whichever loop TFLM picks (flat
elementwise, the fivefold fast path, the generic strided loop) only changes the order in which
a pure per-element function is applied, so one vectorised numpy expression reproduces them all.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator, Tensor
from . import Kernel, Params
from .common import (
    clamp_like_c,
    float_activation_range,
    fused_activation,
    int32_activation_range,
    quantized_activation_range,
    unsupported,
)
from .fixedpoint import (
    multiply_by_quantized_multiplier,
    multiply_by_quantized_multiplier_smaller_than_one,
    quantize_multiplier,
    wrap_int32,
)

MAX_RANK = 6  # RuntimeShape::kMaxSmallSize


# Lowering helpers -------------------------------------------------------------------------------

def _operands(op: Operator, graph: Graph) -> tuple[Tensor, Tensor, Tensor]:
    if len(op.inputs) != 2 or len(op.outputs) != 1 or min(op.inputs) < 0:
        raise unsupported(op, f"expects 2 inputs and 1 output, got {len(op.inputs)} and {len(op.outputs)}",
                          "the model is malformed; re-export it")
    input1, input2 = graph.input_tensors(op)
    return input1, input2, graph.output_tensors(op)[0]


def _common_dtype(op: Operator, tensors: tuple[Tensor, ...], supported: tuple[str, ...]) -> str:
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) != 1:
        raise unsupported(op, f"mixed tensor types {sorted(dtypes)}",
                          "TFLM needs both inputs and the output of the same type")
    dtype = dtypes.pop()
    if dtype not in supported:
        raise unsupported(op, f"type {dtype} is not supported by TFLM", f"use one of {', '.join(supported)}")
    return dtype


def _shapes(op: Operator, input1: Tensor, input2: Tensor, output: Tensor) -> Params:
    """The three shapes, after checking that TFLM's broadcast loop can walk them."""
    rank = max(len(input1.shape), len(input2.shape), len(output.shape))
    if rank > MAX_RANK:
        raise unsupported(op, f"rank {rank} tensors", f"TFLM handles at most rank {MAX_RANK}; reshape the model")
    try:
        broadcast = np.broadcast_shapes(input1.shape, input2.shape)
    except ValueError:
        broadcast = None
    if broadcast is None or int(np.prod(broadcast, dtype=np.int64)) != output.num_elements:
        raise unsupported(op, f"shapes {list(input1.shape)} and {list(input2.shape)} do not broadcast to the "
                              f"output shape {list(output.shape)}",
                          "fix the tensor shapes in the model")
    return {"input1_shape": tuple(input1.shape), "input2_shape": tuple(input2.shape),
            "output_shape": tuple(output.shape)}


def _require_quantized(op: Operator, tensors: tuple[Tensor, ...]) -> None:
    for tensor in tensors:
        if tensor.quantization is None:
            raise unsupported(op, f"{tensor.dtype} tensor {tensor.name!r} has no quantisation parameters",
                              "quantise the model fully (scales and zero points on every tensor)")


def _require_unquantized(op: Operator, tensors: tuple[Tensor, ...]) -> None:
    for tensor in tensors:
        if tensor.quantization is not None:
            raise unsupported(op, f"int32 tensor {tensor.name!r} is quantised",
                              "TFLM only supports unquantised int32 here")


def _require_zero_points_zero(op: Operator, tensors: tuple[Tensor, ...]) -> None:
    for tensor in tensors:
        if tensor.quantization.zero_point != 0:
            raise unsupported(op, f"int16 tensor {tensor.name!r} has zero point {tensor.quantization.zero_point}",
                              "TFLM requires symmetric int16 quantisation (zero point 0)")


def _smaller_than_one(op: Operator, real_multiplier: float, what: str) -> tuple[int, int]:
    """QuantizeMultiplierSmallerThanOneExp, whose CHECKs would abort TFLM outside (0, 1)."""
    if not 0.0 < real_multiplier < 1.0:
        raise unsupported(op, f"the {what} rescale factor {real_multiplier!r} is outside (0, 1)",
                          "TFLM aborts on it; use scales closer together")
    multiplier, shift = quantize_multiplier(real_multiplier)
    if shift > 0:
        raise unsupported(op, f"the {what} rescale factor {real_multiplier!r} rounds up to 1",
                          "TFLM aborts on it; use scales closer together")
    return multiplier, shift


def _add_sub_rescaling(op: Operator, input1: Tensor, input2: Tensor, output: Tensor, left_shift: int) -> Params:
    """Both inputs are rescaled to one unit, twice the larger input scale; the sum or difference
    is rescaled from that unit to the output scale.

    The ratios are taken in double precision for ADD and SUB alike: that is what the oracle
    TFLM build computes (the mirrored sub_common.cc divides in float32, which yields different
    multipliers for some scales; see the SUB scale sweep in the tests)."""
    scale1, scale2 = input1.quantization.scale, input2.quantization.scale
    twice_max_input_scale = 2 * max(scale1, scale2)
    input1_multiplier, input1_shift = _smaller_than_one(op, scale1 / twice_max_input_scale, "input 1")
    input2_multiplier, input2_shift = _smaller_than_one(op, scale2 / twice_max_input_scale, "input 2")
    output_multiplier, output_shift = _smaller_than_one(
        op, twice_max_input_scale / ((1 << left_shift) * output.quantization.scale), "output")
    return {"left_shift": left_shift,
            "input1_multiplier": input1_multiplier, "input1_shift": input1_shift,
            "input2_multiplier": input2_multiplier, "input2_shift": input2_shift,
            "output_multiplier": output_multiplier, "output_shift": output_shift}


def _quantized_offsets(op: Operator, input1: Tensor, input2: Tensor, output: Tensor) -> Params:
    """The zero-point offsets and output clamp range of a quantised ADD, SUB or MUL."""
    activation_min, activation_max = quantized_activation_range(op, output)
    return {"input1_offset": -input1.quantization.zero_point,
            "input2_offset": -input2.quantization.zero_point,
            "output_offset": output.quantization.zero_point,
            "activation_min": activation_min, "activation_max": activation_max}


def _lower_add_sub_quantized(op: Operator, input1: Tensor, input2: Tensor, output: Tensor) -> Params:
    _require_quantized(op, (input1, input2, output))
    # The inputs are pre-shifted left so the rescaled sum keeps precision: 20 bits for int8,
    # 15 for int16 (a 16-bit value shifted by 15 still fits the int32 accumulator).
    left_shift = 15 if output.dtype == "int16" else 20
    return {**_quantized_offsets(op, input1, input2, output),
            **_add_sub_rescaling(op, input1, input2, output, left_shift)}


def _lower_arithmetic(op: Operator, graph: Graph) -> tuple[Tensor, Tensor, Tensor, Params]:
    """What ADD, SUB and MUL lower alike: operands, dtype, shapes and, for float32, the clamp range."""
    input1, input2, output = _operands(op, graph)
    dtype = _common_dtype(op, (input1, input2, output), ("float32", "int32", "int8", "int16"))
    params: Params = {"dtype": dtype, **_shapes(op, input1, input2, output)}
    if dtype == "float32":
        params["activation_min"], params["activation_max"] = float_activation_range(fused_activation(op))
    return input1, input2, output, params


def _lower_add_or_sub(op: Operator, graph: Graph) -> Params:
    input1, input2, output, params = _lower_arithmetic(op, graph)
    if params["dtype"] == "int32":
        # ADD ignores the fused activation for int32 (full range); SUB applies it.
        _require_unquantized(op, (input1, input2) if op.kind == "ADD" else (input1, input2, output))
        activation = "NONE" if op.kind == "ADD" else fused_activation(op)
        params["activation_min"], params["activation_max"] = int32_activation_range(activation)
    elif params["dtype"] != "float32":
        # Unlike MUL, TFLM runs int16 ADD/SUB with any zero points (the offsets are applied).
        params.update(_lower_add_sub_quantized(op, input1, input2, output))
    return params


def _lower_mul(op: Operator, graph: Graph) -> Params:
    input1, input2, output, params = _lower_arithmetic(op, graph)
    if params["dtype"] == "int32":
        # Any quantisation on int32 MUL tensors is ignored by TFLM: a plain wrapping multiply.
        params["activation_min"], params["activation_max"] = int32_activation_range(fused_activation(op))
    elif params["dtype"] != "float32":
        _require_quantized(op, (input1, input2, output))
        if params["dtype"] == "int16":
            _require_zero_points_zero(op, (input1, input2, output))
        real_multiplier = input1.quantization.scale * input2.quantization.scale / output.quantization.scale
        output_multiplier, output_shift = quantize_multiplier(real_multiplier)
        params.update(_quantized_offsets(op, input1, input2, output),
                      output_multiplier=output_multiplier, output_shift=output_shift)
    return params


def _lower_maximum_minimum(op: Operator, graph: Graph) -> Params:
    """No rescaling: TFLM compares the raw stored values, whatever the quantisation."""
    input1, input2, output = _operands(op, graph)
    dtype = _common_dtype(op, (input1, input2, output), ("float32", "int8", "int16", "int32", "int64"))
    return {"dtype": dtype, **_shapes(op, input1, input2, output)}


# Computation helpers ----------------------------------------------------------------------------

def _shaped_inputs(params: Params, inputs) -> tuple[np.ndarray, np.ndarray]:
    return (np.asarray(inputs[0]).reshape(params["input1_shape"]),
            np.asarray(inputs[1]).reshape(params["input2_shape"]))


def _clamp_int32(params: Params, wrapped: np.ndarray) -> np.ndarray:
    return np.clip(wrapped, params["activation_min"], params["activation_max"]).astype(np.int32)


def _requantize(params: Params, accumulator: np.ndarray, requantize) -> np.ndarray:
    """Scale the int32 accumulator to the output, add its zero point, clamp and narrow."""
    scaled = requantize(accumulator, params["output_multiplier"], params["output_shift"])
    # The zero point is added in int32 arithmetic, which wraps when the scaled value lies
    # within the zero point of an int32 limit.
    shifted = wrap_int32(scaled + params["output_offset"])
    return np.clip(shifted, params["activation_min"], params["activation_max"]).astype(params["dtype"])


def _rescaled_input(params: Params, values: np.ndarray, which: str) -> np.ndarray:
    widened = values.astype(np.int64) + params[f"{which}_offset"]
    shifted = widened * (1 << params["left_shift"])
    return multiply_by_quantized_multiplier_smaller_than_one(
        shifted, params[f"{which}_multiplier"], params[f"{which}_shift"])


def _add_sub_quantized(params: Params, input1: np.ndarray, input2: np.ndarray, sign: int) -> np.ndarray:
    accumulator = _rescaled_input(params, input1, "input1") + sign * _rescaled_input(params, input2, "input2")
    return _requantize(params, accumulator, multiply_by_quantized_multiplier_smaller_than_one)


def _add_or_sub(params: Params, inputs, sign: int) -> list[np.ndarray]:
    input1, input2 = _shaped_inputs(params, inputs)
    dtype = params["dtype"]
    if dtype == "float32":
        with np.errstate(over="ignore", invalid="ignore"):  # IEEE infinities and NaNs, as in C
            raw = input1 + input2 if sign > 0 else input1 - input2
            result = clamp_like_c(raw, params["activation_min"], params["activation_max"])
    elif dtype == "int32":
        wide1, wide2 = input1.astype(np.int64), input2.astype(np.int64)
        result = _clamp_int32(params, wrap_int32(wide1 + sign * wide2))
    else:
        result = _add_sub_quantized(params, input1, input2, sign)
    return [result]


def _compute_add(params: Params, inputs) -> list[np.ndarray]:
    return _add_or_sub(params, inputs, +1)


def _compute_sub(params: Params, inputs) -> list[np.ndarray]:
    return _add_or_sub(params, inputs, -1)


def _compute_mul(params: Params, inputs) -> list[np.ndarray]:
    input1, input2 = _shaped_inputs(params, inputs)
    dtype = params["dtype"]
    if dtype == "float32":
        with np.errstate(over="ignore", invalid="ignore"):  # IEEE infinities and NaNs, as in C
            return [clamp_like_c(input1 * input2, params["activation_min"], params["activation_max"])]
    if dtype == "int32":
        return [_clamp_int32(params, wrap_int32(input1.astype(np.int64) * input2.astype(np.int64)))]
    product = (input1.astype(np.int64) + params["input1_offset"]) * (input2.astype(np.int64) + params["input2_offset"])
    return [_requantize(params, product, multiply_by_quantized_multiplier)]


def _compute_maximum(params: Params, inputs) -> list[np.ndarray]:
    input1, input2 = _shaped_inputs(params, inputs)
    return [np.where(input1 > input2, input1, input2).astype(params["dtype"])]


def _compute_minimum(params: Params, inputs) -> list[np.ndarray]:
    input1, input2 = _shaped_inputs(params, inputs)
    return [np.where(input1 < input2, input1, input2).astype(params["dtype"])]


KERNELS = {
    "ADD": Kernel(lower=_lower_add_or_sub, compute=_compute_add),
    "SUB": Kernel(lower=_lower_add_or_sub, compute=_compute_sub),
    "MUL": Kernel(lower=_lower_mul, compute=_compute_mul),
    "MAXIMUM": Kernel(lower=_lower_maximum_minimum, compute=_compute_maximum),
    "MINIMUM": Kernel(lower=_lower_maximum_minimum, compute=_compute_minimum),
}
