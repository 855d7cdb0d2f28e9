"""FULLY_CONNECTED, as TFLM's reference kernels compute it (float32, int8, 16x8)."""
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
    quantize_multiplier,
    quantize_multipliers,
    wrap_int32,
)

# quantized_bias_type holds a schema TensorType; INT32 is 2 there (and in TfLiteType).
_QUANTIZED_BIAS_INT32 = 2
_BIAS_DTYPES = {"float32": ("float32",), "int8": ("int32",), "int16": ("int32", "int64")}


# Lowering -----------------------------------------------------------------------------------
def _shapes(op: Operator, input_: Tensor, weights: Tensor, output: Tensor) -> tuple[int, int, int]:
    """batches, output_depth, accum_depth as TFLM derives them: batches from the output shape, so
    an input of any rank is read as a flat [batches, accum_depth] matrix. keep_num_dims only shapes
    the declared output tensor, so TFLM (and this kernel) never read it."""
    if len(weights.shape) != 2 or len(output.shape) < 1:
        raise unsupported(op, f"weights of shape {list(weights.shape)} and output of shape {list(output.shape)}",
                          "weights must be [output_depth, accum_depth]")
    output_depth = output.shape[-1]
    accum_depth = weights.shape[-1]
    batches = output.num_elements // output_depth if output_depth else 0
    if weights.shape[-2] != output_depth or input_.num_elements != batches * accum_depth:
        raise unsupported(op, f"shapes input {list(input_.shape)}, weights {list(weights.shape)}, output "
                              f"{list(output.shape)} do not fit together", "fix the model's tensor shapes")
    return batches, output_depth, accum_depth


def _check_per_tensor_bias_scale(op: Operator, input_: Tensor, weights: Tensor, bias: Tensor | None,
                                 output: Tensor) -> None:
    """GetQuantizedConvolutionMultipler refuses a bias scale far from input_scale * weights_scale."""
    if bias is None:
        return
    product = input_.quantization.scale * weights.quantization.scale
    bias_scale = bias.quantization.scale if bias.quantization is not None else 0.0
    if abs(product - bias_scale) / output.quantization.scale > 0.02:
        raise unsupported(op, f"bias scale {bias_scale} is not input scale x weights scale ({product})",
                          "requantise the bias with scale input_scale * weights_scale")


def _per_tensor_multiplier(input_: Tensor, weights: Tensor, output: Tensor) -> tuple[int, int]:
    # double(input_scale) * double(weights_scale) / double(output_scale). The mirrored source rounds
    # the product to float32 first, but the oracle wheel (a later TFLM) multiplies in double.
    product = input_.quantization.scale * weights.quantization.scale
    return quantize_multiplier(product / output.quantization.scale)


def _per_channel_multipliers(op: Operator, input_: Tensor, weights: Tensor, output: Tensor,
                             output_depth: int) -> tuple[np.ndarray, np.ndarray]:
    quant = weights.quantization
    if len(quant.scales) != weights.shape[quant.axis] or len(quant.scales) != output_depth:
        raise unsupported(op, f"{len(quant.scales)} weight scales on axis {quant.axis} for {output_depth} outputs",
                          "quantise the weights per output channel (axis 0)")
    # Per channel: double(input_scale) * double(channel_scale) / double(output_scale).
    effective = [input_.quantization.scale * float(s) / output.quantization.scale for s in quant.scales]
    return quantize_multipliers(effective)


def _uses_int64_accumulator(op: Operator, input_: Tensor, bias: Tensor | None) -> bool:
    """16x8 accumulates in int64 unless the bias (or, without one, quantized_bias_type) is int32."""
    if input_.dtype != "int16":
        return False
    if bias is not None:
        return bias.dtype == "int64"
    return op.attrs.get("quantized_bias_type", 0) != _QUANTIZED_BIAS_INT32


def _lower_quantized(op: Operator, input_: Tensor, weights: Tensor, bias: Tensor | None, output: Tensor,
                     output_depth: int) -> Params:
    require_quantization(op, input=input_, weights=weights, output=output)
    per_channel = weights.quantization.per_channel
    if per_channel:
        multiplier, shift = _per_channel_multipliers(op, input_, weights, output, output_depth)
    else:
        _check_per_tensor_bias_scale(op, input_, weights, bias, output)
        multiplier, shift = _per_tensor_multiplier(input_, weights, output)
    act_min, act_max = quantized_activation_range(op, output)
    return {
        "per_channel": per_channel,
        "int64_accumulator": _uses_int64_accumulator(op, input_, bias),
        "input_offset": -input_.quantization.zero_point,
        # The per-channel kernel assumes symmetric weights and ignores their zero point.
        "weights_offset": 0 if per_channel else -weights.quantization.zero_point,
        "output_offset": output.quantization.zero_point,
        "output_multiplier": multiplier,
        "output_shift": shift,
        "activation_min": act_min,
        "activation_max": act_max,
    }


def lower(op: Operator, graph: Graph) -> Params:
    input_, weights, *rest = graph.input_tensors(op)
    bias = rest[0] if rest else None
    output = graph.output_tensors(op)[0]
    check_weighted_dtypes(op, input_, weights, bias, output, _BIAS_DTYPES)
    batches, output_depth, accum_depth = _shapes(op, input_, weights, output)
    params: Params = {
        "dtype": input_.dtype,
        "batches": batches,
        "output_depth": output_depth,
        "accum_depth": accum_depth,
        "has_bias": bias is not None,
    }
    if input_.dtype == "float32":
        params["activation_min"], params["activation_max"] = float_activation_range(fused_activation(op))
    else:
        params.update(_lower_quantized(op, input_, weights, bias, output, output_depth))
    return params


# Computation --------------------------------------------------------------------------------
def _compute_float(params: Params, x: np.ndarray, weights: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    # One float32 multiply and one float32 add per step, in TFLM's order over accum_depth.
    total = np.zeros((params["batches"], params["output_depth"]), dtype=np.float32)
    for d in range(params["accum_depth"]):
        total = total + x[:, d:d + 1] * weights[:, d]
    total = total + (bias.astype(np.float32) if bias is not None else np.float32(0.0))
    return clamp_like_c(total, params["activation_min"], params["activation_max"])


def _compute_quantized(params: Params, x: np.ndarray, weights: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    acc = (x.astype(np.int64) + params["input_offset"]) @ (weights.astype(np.int64) + params["weights_offset"]).T
    if params["int64_accumulator"]:
        if bias is not None:
            acc = acc + bias.astype(np.int64)
        scaled = multiply_by_quantized_multiplier_int64(acc, params["output_multiplier"], params["output_shift"])
    else:
        # The int32 accumulator wraps; wrapping once at the end gives the same bits.
        acc = wrap_int32(acc)
        if bias is not None:
            acc = wrap_int32(acc + bias.astype(np.int64))
        scaled = multiply_by_quantized_multiplier(acc, params["output_multiplier"], params["output_shift"])
    scaled = wrap_int32(scaled + params["output_offset"])
    return np.clip(scaled, params["activation_min"], params["activation_max"]).astype(params["dtype"])


def compute(params: Params, inputs: list[np.ndarray]) -> list[np.ndarray]:
    input_, weights, *rest = inputs
    bias = rest[0] if rest else None
    x = np.asarray(input_).reshape(params["batches"], params["accum_depth"])
    w = np.asarray(weights).reshape(params["output_depth"], params["accum_depth"])
    if params["dtype"] == "float32":
        return [_compute_float(params, x, w, bias)]
    return [_compute_quantized(params, x, w, bias)]


KERNELS = {"FULLY_CONNECTED": Kernel(lower=lower, compute=compute)}
