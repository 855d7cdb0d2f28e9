"""FULLY_CONNECTED against TFLM: float32, int8 (per-tensor and per-channel) and 16x8, byte for byte."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from tests.support.compare import assert_matches_tflm
from tests.support.modelbuilder import ModelBuilder

ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1", "TANH")
# Typical magnitude of a uniform random int8 / int16 value (its standard deviation).
_SPREAD = {"int8": 74.0, "int16": 18900.0}


@dataclass(frozen=True)
class Case:
    dtype: str  # activations: float32, int8 or int16 (int16 takes int8 weights)
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    accum_depth: int
    bias: str | None = None  # bias dtype, or None for no bias input
    per_channel: bool = False
    activation: str = "NONE"
    keep_num_dims: bool = False
    quantized_bias_type: int = 0  # schema TensorType; 2 (INT32) selects 16x8's int32 accumulator
    scale_gain: float = 1.0  # > 1 shrinks the output scale so that outputs saturate
    real_multiplier: float | None = None  # force input_scale * weights_scale / output_scale
    weight_limit: int = 127  # largest weight magnitude
    omit_bias_slot: bool = False  # write -1 as the bias input instead of leaving it out
    weights_as_input: bool = False  # weights fed at run time instead of a constant


def _weights_quantization(case: Case, rng: np.random.Generator, depth: int):
    if case.per_channel:
        return rng.uniform(0.002, 0.02, size=depth).astype(np.float32), 0
    # Per-tensor int8 weights may carry a zero point; TFLM's per-tensor kernel subtracts it.
    return np.float32(rng.uniform(0.002, 0.02)), int(rng.integers(-3, 4)) if case.dtype == "int8" else 0


def _activation_zero_point(dtype: str, rng: np.random.Generator) -> int:
    return int(rng.integers(-20, 21)) if dtype == "int8" else 0


def _output_scale(case: Case, input_scale, weight_scale, rng: np.random.Generator) -> np.float32:
    if case.real_multiplier is not None:
        return np.float32(float(input_scale) * float(np.max(weight_scale)) / case.real_multiplier)
    # Aim the output's spread at about 0.4 of the output type's, from the accumulator's spread.
    accumulator_spread = _SPREAD[case.dtype] * 74.0 * np.sqrt(case.accum_depth)
    scale = float(input_scale) * float(np.max(weight_scale)) * accumulator_spread / (0.4 * _SPREAD[case.dtype])
    return np.float32(scale * rng.uniform(0.7, 1.4) / case.scale_gain)


def _bias_values(case: Case, bias_scale: np.ndarray, output_scale: float, depth: int,
                 rng: np.random.Generator) -> np.ndarray:
    # Biases worth up to a few output steps, so they visibly move the result.
    limit = np.maximum(1.0, 30.0 * output_scale / bias_scale)
    return np.round(rng.uniform(-limit, limit, size=depth)).astype(case.bias)


def build_model(case: Case, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    depth = case.output_shape[-1]
    b = ModelBuilder()
    weights_shape = (depth, case.accum_depth)
    if case.dtype == "float32":
        x = b.tensor(case.input_shape, "float32")
        w = (b.tensor(weights_shape, "float32") if case.weights_as_input
             else b.const(rng.uniform(-1, 1, size=weights_shape).astype(np.float32), "float32"))
        bias = (b.const(rng.uniform(-2, 2, size=depth).astype(np.float32), "float32")
                if case.bias else None)
        y = b.tensor(case.output_shape, "float32")
    else:
        input_scale = np.float32(rng.uniform(0.005, 0.05))
        weight_scale, weight_zp = _weights_quantization(case, rng, depth)
        output_scale = _output_scale(case, input_scale, weight_scale, rng)
        x = b.tensor(case.input_shape, case.dtype, scale=input_scale,
                     zero_point=_activation_zero_point(case.dtype, rng))
        if case.weights_as_input:
            w = b.tensor(weights_shape, "int8", scale=weight_scale, zero_point=weight_zp)
        else:
            w = b.const(rng.integers(-case.weight_limit, case.weight_limit + 1, size=weights_shape).astype(np.int8),
                        "int8", scale=weight_scale, zero_point=weight_zp)
        bias = None
        if case.bias:
            bias_scale = np.atleast_1d(np.float32(input_scale) * np.asarray(weight_scale, dtype=np.float32))
            bias = b.const(_bias_values(case, bias_scale.astype(np.float64), float(output_scale), depth, rng),
                           case.bias, scale=bias_scale if case.per_channel else bias_scale[0])
        y = b.tensor(case.output_shape, case.dtype, scale=output_scale,
                     zero_point=_activation_zero_point(case.dtype, rng))
    inputs = [x, w] + ([bias] if bias is not None else [-1] if case.omit_bias_slot else [])
    b.op("FULLY_CONNECTED", inputs, [y], "FullyConnectedOptions",
         fused_activation_function=case.activation, keep_num_dims=case.keep_num_dims,
         quantized_bias_type=case.quantized_bias_type)
    b.io([x, w] if case.weights_as_input else [x], [y])
    return b.build()


def _cases() -> list:
    cases = []

    def add(name: str, case: Case) -> None:
        cases.append(pytest.param(case, id=name))

    bias_for = {"float32": "float32", "int8": "int32", "int16": "int64"}
    for dtype in ("float32", "int8", "int16"):
        bias = bias_for[dtype]
        for activation in ACTIVATIONS:
            add(f"{dtype}-{activation}", Case(dtype, (1, 13), (1, 7), 13, bias, activation=activation))
        add(f"{dtype}-nobias", Case(dtype, (1, 9), (1, 5), 9))
        add(f"{dtype}-nobias-slot", Case(dtype, (1, 9), (1, 5), 9, omit_bias_slot=True))
        add(f"{dtype}-batch3", Case(dtype, (3, 17), (3, 11), 17, bias, activation="RELU"))
        add(f"{dtype}-rank3-flatten", Case(dtype, (2, 3, 8), (6, 5), 8, bias))
        add(f"{dtype}-rank3-keepdims", Case(dtype, (2, 3, 8), (2, 3, 5), 8, bias, keep_num_dims=True))
        add(f"{dtype}-rank4-to-vector", Case(dtype, (1, 2, 3, 5), (1, 4), 30, bias))
        add(f"{dtype}-deep", Case(dtype, (2, 301), (2, 19), 301, bias))
        add(f"{dtype}-single-unit", Case(dtype, (1, 1), (1, 1), 1, bias))
        add(f"{dtype}-weights-as-input", Case(dtype, (2, 10), (2, 6), 10, bias, weights_as_input=True))
    for dtype, bias in (("int8", "int32"), ("int16", "int64"), ("int16", "int32")):
        tag = f"{dtype}-{bias}bias-perchannel"
        add(tag, Case(dtype, (2, 21), (2, 9), 21, bias, per_channel=True))
        add(f"{tag}-RELU6", Case(dtype, (1, 16), (1, 6), 16, bias, per_channel=True, activation="RELU6"))
        add(f"{tag}-rank3", Case(dtype, (2, 2, 7), (4, 3), 7, bias, per_channel=True))
    add("int8-perchannel-nobias", Case("int8", (1, 12), (1, 4), 12, per_channel=True))
    add("int16-perchannel-nobias", Case("int16", (1, 12), (1, 4), 12, per_channel=True))
    add("int16-int32bias", Case("int16", (2, 23), (2, 6), 23, "int32", activation="RELU"))
    add("int16-nobias-int32-accumulator", Case("int16", (2, 23), (2, 6), 23, quantized_bias_type=2))
    add("int16-nobias-perchannel-int32-accumulator",
        Case("int16", (1, 10), (1, 3), 10, per_channel=True, quantized_bias_type=2))
    for dtype, bias in (("int8", "int32"), ("int16", "int64"), ("int16", "int32")):
        add(f"{dtype}-{bias}bias-saturating", Case(dtype, (1, 6), (1, 8), 6, bias, scale_gain=40.0))
        add(f"{dtype}-{bias}bias-multiplier-above-one",
            Case(dtype, (1, 1), (1, 40), 1, bias, real_multiplier=1.3, weight_limit=1))
    # Decimal multipliers put many products on exact .5 ties, where the double-precision
    # scale product TFLM uses decides the rounding.
    for target in (0.35, 0.7):
        add(f"int8-decimal-multiplier-{target}",
            Case("int8", (1, 1), (1, 40), 1, "int32", real_multiplier=target, weight_limit=1))
    return cases


@pytest.mark.parametrize("case", _cases())
def test_fully_connected_matches_tflm(case: Case) -> None:
    for seed in range(2):
        assert_matches_tflm(build_model(case, seed), seed=seed, invocations=2)
