"""TRANSPOSE_CONV against TFLM: float32, int8 (per-channel and per-tensor weights) and 16x8."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from tests.support.compare import assert_matches_tflm
from tests.support.modelbuilder import ModelBuilder

ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")
# Typical magnitude of a uniform random int8 / int16 value (its standard deviation).
_SPREAD = {"int8": 74.0, "int16": 18900.0}


@dataclass(frozen=True)
class Case:
    dtype: str  # activations: float32, int8 or int16 (int16 takes int8 weights)
    input_hw: tuple[int, int]
    filter_hw: tuple[int, int]
    strides: tuple[int, int] = (1, 1)
    padding: str = "SAME"
    in_channels: int = 3
    out_channels: int = 4
    batches: int = 1
    bias: str | None = None  # bias dtype, or None for no bias input
    per_channel: bool = True
    activation: str = "NONE"
    extra_output: tuple[int, int] = (0, 0)  # rows/columns beyond the natural output size
    zero_points: bool = False  # non-zero activation zero points (int16 kernels ignore them)
    omit_bias_slot: bool = False  # write -1 as the bias input instead of leaving it out
    real_multiplier: float | None = None  # force input_scale * weights_scale / output_scale
    weight_limit: int = 127  # largest weight magnitude


def _output_hw(case: Case) -> tuple[int, int]:
    size = []
    for image, filt, stride, extra in zip(case.input_hw, case.filter_hw, case.strides, case.extra_output):
        natural = image * stride if case.padding == "SAME" else (image - 1) * stride + filt
        size.append(natural + extra)
    return tuple(size)


def _taps_per_output(case: Case) -> float:
    overlap = [max(1.0, f / s) for f, s in zip(case.filter_hw, case.strides)]
    return overlap[0] * overlap[1] * case.in_channels


def _zero_point(case: Case, rng: np.random.Generator) -> int:
    if not case.zero_points:
        return 0
    return int(rng.integers(-20, 21)) if case.dtype == "int8" else int(rng.integers(-300, 301))


def _quantized_tensors(case: Case, b: ModelBuilder, rng: np.random.Generator, shapes: dict):
    input_scale = np.float32(rng.uniform(0.005, 0.05))
    channels = case.out_channels
    weight_scale = (rng.uniform(0.002, 0.02, size=channels).astype(np.float32) if case.per_channel
                    else np.float32(rng.uniform(0.002, 0.02)))
    # Aim the output's spread at about 0.4 of the output type's, from the accumulator's spread.
    accumulator_spread = _SPREAD[case.dtype] * 74.0 * np.sqrt(_taps_per_output(case))
    if case.real_multiplier is not None:
        output_scale = np.float32(float(input_scale) * float(np.max(weight_scale)) / case.real_multiplier)
    else:
        output_scale = np.float32(float(input_scale) * float(np.max(weight_scale)) * accumulator_spread
                                  / (0.4 * _SPREAD[case.dtype]) * rng.uniform(0.7, 1.4))
    x = b.tensor(shapes["input"], case.dtype, scale=input_scale, zero_point=_zero_point(case, rng))
    # Weight zero points are never used by TFLM's kernels; a per-tensor one must still be ignored.
    weights = rng.integers(-case.weight_limit, case.weight_limit + 1, size=shapes["weights"]).astype(np.int8)
    w = b.const(weights, "int8", scale=weight_scale,
                zero_point=0 if case.per_channel else int(rng.integers(-3, 4)))
    bias = None
    if case.bias:
        bias_scale = np.broadcast_to(input_scale * np.asarray(weight_scale, np.float32), (channels,))
        limit = np.maximum(1.0, 30.0 * float(output_scale) / bias_scale.astype(np.float64))
        if case.bias == "int16":
            limit = np.minimum(limit, 32767)
        values = np.round(rng.uniform(-limit, limit)).astype(case.bias)
        bias = b.const(values, case.bias, scale=bias_scale.copy(), zero_point=0)
    y = b.tensor(shapes["output"], case.dtype, scale=output_scale, zero_point=_zero_point(case, rng))
    return x, w, bias, y


def _float_tensors(case: Case, b: ModelBuilder, rng: np.random.Generator, shapes: dict):
    x = b.tensor(shapes["input"], "float32")
    w = b.const(rng.uniform(-1, 1, size=shapes["weights"]).astype(np.float32), "float32")
    bias = b.const(rng.uniform(-2, 2, size=case.out_channels).astype(np.float32), "float32") if case.bias else None
    y = b.tensor(shapes["output"], "float32")
    return x, w, bias, y


def build_model(case: Case, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    out_h, out_w = _output_hw(case)
    shapes = {
        "input": (case.batches, *case.input_hw, case.in_channels),
        "weights": (case.out_channels, *case.filter_hw, case.in_channels),
        "output": (case.batches, out_h, out_w, case.out_channels),
    }
    b = ModelBuilder()
    make = _float_tensors if case.dtype == "float32" else _quantized_tensors
    x, w, bias, y = make(case, b, rng, shapes)
    output_shape = b.const(np.array(shapes["output"], dtype=np.int32), "int32")
    inputs = [output_shape, w, x] + ([bias] if bias is not None else [-1] if case.omit_bias_slot else [])
    b.op("TRANSPOSE_CONV", inputs, [y], "TransposeConvOptions", padding=case.padding,
         stride_h=case.strides[0], stride_w=case.strides[1], fused_activation_function=case.activation)
    b.io([x], [y])
    return b.build()


def _cases() -> list:
    cases = []

    def add(name: str, case: Case) -> None:
        cases.append(pytest.param(case, id=name))

    bias_for = {"float32": "float32", "int8": "int32", "int16": "int64"}
    geometries = {
        "3x3-s1": dict(input_hw=(5, 6), filter_hw=(3, 3)),
        "3x3-s2": dict(input_hw=(4, 5), filter_hw=(3, 3), strides=(2, 2)),
        "2x4-s1x2": dict(input_hw=(3, 7), filter_hw=(2, 4), strides=(1, 2)),
        "5x3-s3x2": dict(input_hw=(3, 4), filter_hw=(5, 3), strides=(3, 2)),
        "1x1-s2": dict(input_hw=(4, 3), filter_hw=(1, 1), strides=(2, 2)),
        "2x2-s3": dict(input_hw=(3, 3), filter_hw=(2, 2), strides=(3, 3)),
    }
    for dtype in ("float32", "int8", "int16"):
        bias = bias_for[dtype]
        for geometry, shape in geometries.items():
            for padding in ("SAME", "VALID"):
                add(f"{dtype}-{geometry}-{padding}", Case(dtype, padding=padding, bias=bias, **shape))
        for activation in ACTIVATIONS[1:]:
            add(f"{dtype}-{activation}", Case(dtype, (4, 4), (3, 3), (2, 2), bias=bias, activation=activation))
        add(f"{dtype}-nobias", Case(dtype, (4, 5), (3, 3), (2, 2)))
        add(f"{dtype}-nobias-slot", Case(dtype, (4, 5), (3, 3), (2, 2), omit_bias_slot=True))
        add(f"{dtype}-batch2", Case(dtype, (3, 4), (3, 2), (2, 1), "VALID", 5, 3, batches=2, bias=bias))
        add(f"{dtype}-wide-channels", Case(dtype, (2, 3), (3, 3), (2, 2), in_channels=19, out_channels=13,
                                           bias=bias))
        add(f"{dtype}-extra-output-SAME", Case(dtype, (3, 4), (3, 3), (2, 2), bias=bias, extra_output=(1, 1)))
        add(f"{dtype}-extra-output-VALID", Case(dtype, (3, 4), (4, 3), (2, 3), "VALID", bias=bias,
                                                extra_output=(1, 2)))
        add(f"{dtype}-filter-larger-than-output", Case(dtype, (1, 2), (5, 4), (1, 1), "SAME", bias=bias))
    for dtype in ("int8", "int16"):
        add(f"{dtype}-per-tensor-weights", Case(dtype, (4, 4), (3, 3), (2, 2), bias=bias_for[dtype],
                                                per_channel=False))
        add(f"{dtype}-zero-points", Case(dtype, (4, 4), (3, 3), (2, 2), bias=bias_for[dtype], zero_points=True,
                                         activation="RELU"))
    add("int16-int16bias", Case("int16", (4, 5), (3, 3), (2, 2), bias="int16"))
    add("int16-int16bias-RELU6", Case("int16", (3, 7), (2, 4), (1, 2), "VALID", bias="int16", activation="RELU6"))
    # One SEANet-like 16x8 layer: a long 1-D signal upsampled by stride 2.
    add("int16-seanet-like", Case("int16", (1, 40), (3, 4), (1, 2), "VALID", 16, 8, bias="int64",
                                  extra_output=(0, 0)))
    # Decimal multipliers put many products on exact .5 ties, where the double-precision
    # scale product TFLM uses decides the rounding.
    for dtype in ("int8", "int16"):
        for target in (0.35, 1.3):
            add(f"{dtype}-decimal-multiplier-{target}",
                Case(dtype, (3, 4), (2, 2), (2, 2), in_channels=1, out_channels=3, bias=bias_for[dtype],
                     per_channel=False, real_multiplier=target, weight_limit=1))
    return cases


@pytest.mark.parametrize("case", _cases())
def test_transpose_conv_matches_tflm(case: Case) -> None:
    for seed in range(2):
        assert_matches_tflm(build_model(case, seed), seed=seed, invocations=2)
