"""CONV_2D and DEPTHWISE_CONV_2D against TFLM: geometry, activations, quantisation and dtypes."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.kernels.conv import KERNELS
from mcucompile.reader import read_model
from tests.support.compare import assert_matches_tflm
from tests.support.modelbuilder import ModelBuilder

# Typical magnitude of a uniformly random quantised value, used to pick scales that give real
# outputs of a few units, spread over many output steps (so the tests see rounding, not just
# saturation, and RELU6 / RELU_N1_TO_1 clip some values but not all).
_TYPICAL = {"int8": 74.0, "int16": 18900.0}
_OUTPUT_STEPS = {"int8": 40.0, "int16": 8000.0}
_TENSOR_TYPE_INT32 = 2  # schema TensorType.INT32, for Conv2DOptions.quantized_bias_type


@dataclass(frozen=True)
class Case:
    kind: str = "CONV_2D"
    dtype: str = "int8"  # activation dtype; int16 means 16x8 (int8 filters)
    batch: int = 1
    height: int = 6
    width: int = 5
    in_depth: int = 3
    out_depth: int = 4  # CONV_2D only; depthwise has in_depth * depth_multiplier
    kernel: tuple[int, int] = (3, 3)
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)
    padding: str = "SAME"
    activation: str = "NONE"
    depth_multiplier: int = 1
    groups: int = 1
    per_channel: bool = True
    bias: str | None = "usual"  # None (no bias), "usual" (the converter's type) or a dtype
    quantized_bias_type: int = 0  # Conv2DOptions field; INT32 selects 16x8 int32 accumulation
    weight_bound: int = 127  # filter values are drawn from [-weight_bound, weight_bound]
    effective_scale: float | None = None  # input * filter / output scale; above 1 means left shifts
    filter_zero_point: int = 0  # TFLM ignores it
    int16_zero_point: int = 0  # TFLM ignores activation zero points in 16x8 arithmetic

    @property
    def output_depth(self) -> int:
        return self.in_depth * self.depth_multiplier if self.kind == "DEPTHWISE_CONV_2D" else self.out_depth

    @property
    def bias_dtype(self) -> str | None:
        if self.bias != "usual":
            return self.bias
        return {"float32": "float32", "int8": "int32", "int16": "int64"}[self.dtype]

    @property
    def filter_shape(self) -> tuple[int, int, int, int]:
        kh, kw = self.kernel
        if self.kind == "DEPTHWISE_CONV_2D":
            return (1, kh, kw, self.output_depth)
        return (self.out_depth, kh, kw, self.in_depth // self.groups)

    @property
    def taps(self) -> int:
        """Products summed into each output value."""
        kh, kw = self.kernel
        return kh * kw * (self.filter_shape[3] if self.kind == "CONV_2D" else 1)

    @property
    def output_shape(self) -> tuple[int, int, int, int]:
        height, width = (_out_size(self.padding, size, k, s, d) for size, k, s, d
                         in zip((self.height, self.width), self.kernel, self.stride, self.dilation))
        return (self.batch, height, width, self.output_depth)


def _out_size(padding: str, size: int, kernel: int, stride: int, dilation: int) -> int:
    effective = (kernel - 1) * dilation + 1
    return (size + stride - 1) // stride if padding == "SAME" else (size - effective + stride) // stride


def _add_float_tensors(b: ModelBuilder, case: Case, rng, typical_output: float) -> tuple[list[int], int]:
    x = b.tensor((case.batch, case.height, case.width, case.in_depth), "float32")
    weight_std = typical_output / 2.3 / np.sqrt(case.taps)  # inputs are uniform in [-4, 4]
    inputs = [x, b.const(rng.normal(0.0, weight_std, size=case.filter_shape), "float32")]
    if case.bias_dtype is not None:
        inputs.append(b.const(rng.normal(0.0, 1.0, size=case.output_depth), "float32"))
    return inputs, b.tensor(case.output_shape, "float32")


def _add_quantised_tensors(b: ModelBuilder, case: Case, rng, typical_output: float) -> tuple[list[int], int]:
    channel_axis = 0 if case.kind == "CONV_2D" else 3
    channels = case.filter_shape[channel_axis]
    weights = rng.integers(-case.weight_bound, case.weight_bound, size=case.filter_shape, endpoint=True)
    filter_scales = rng.uniform(0.002, 0.02, size=channels if case.per_channel else 1).astype(np.float32)
    unit_output = float(np.mean(filter_scales)) * _TYPICAL[case.dtype] * _TYPICAL["int8"] * np.sqrt(case.taps)
    input_scale = typical_output / unit_output
    if case.effective_scale is None:
        output_scale = typical_output / _OUTPUT_STEPS[case.dtype] * rng.uniform(0.5, 2.0)
    else:
        output_scale = input_scale * float(np.mean(filter_scales)) / case.effective_scale
    if case.dtype == "int8":
        input_zp, output_zp = (int(z) for z in rng.integers(-20, 20, size=2))
    else:
        input_zp = output_zp = case.int16_zero_point
    x = b.tensor((case.batch, case.height, case.width, case.in_depth), case.dtype, scale=input_scale,
                 zero_point=input_zp)
    w = b.const(weights, "int8", scale=filter_scales, zero_point=case.filter_zero_point, axis=channel_axis)
    inputs = [x, w]
    if case.bias_dtype is not None:
        bound = int(_TYPICAL[case.dtype] * _TYPICAL["int8"] * np.sqrt(case.taps))
        values = rng.integers(-bound, bound, size=case.output_depth, endpoint=True)
        bias_scales = np.float32(input_scale) * np.broadcast_to(filter_scales, (case.output_depth,))
        inputs.append(b.const(values, case.bias_dtype, scale=bias_scales, zero_point=0))
    y = b.tensor(case.output_shape, case.dtype, scale=output_scale, zero_point=output_zp)
    return inputs, y


def build_model(case: Case, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    b = ModelBuilder()
    typical_output = float(rng.uniform(1.5, 4.0))
    add_tensors = _add_float_tensors if case.dtype == "float32" else _add_quantised_tensors
    inputs, y = add_tensors(b, case, rng, typical_output)
    options = dict(padding=case.padding, stride_h=case.stride[0], stride_w=case.stride[1],
                   dilation_h_factor=case.dilation[0], dilation_w_factor=case.dilation[1],
                   fused_activation_function=case.activation)
    if case.kind == "CONV_2D":
        b.op("CONV_2D", inputs, [y], "Conv2DOptions", quantized_bias_type=case.quantized_bias_type, **options)
    else:
        b.op("DEPTHWISE_CONV_2D", inputs, [y], "DepthwiseConv2DOptions",
             depth_multiplier=case.depth_multiplier, **options)
    b.io([inputs[0]], [y])
    return b.build()


DTYPES = ("int8", "int16", "float32")
ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1", "TANH")
GEOMETRIES = {
    "3x3-s1-same": Case(),
    "3x3-s1-valid": Case(padding="VALID"),
    "3x3-s2-same-odd": Case(height=7, width=9, stride=(2, 2)),
    "3x3-s2-valid-odd": Case(height=7, width=9, stride=(2, 2), padding="VALID"),
    "3x2-s2x1-same": Case(kernel=(3, 2), stride=(2, 1)),
    "1x1-valid": Case(kernel=(1, 1), padding="VALID", height=4, width=3),
    "4x4-s3-same-even-kernel": Case(kernel=(4, 4), stride=(3, 3), height=10, width=8),
    "10x4-s2-same": Case(kernel=(10, 4), stride=(2, 2), height=13, width=6),
    "dil2-same": Case(height=8, width=7, dilation=(2, 2)),
    "dil2x3-valid": Case(height=9, width=10, dilation=(2, 3), padding="VALID"),
    "dil2-s2-same": Case(height=9, width=9, dilation=(2, 2), stride=(2, 2)),
    "batch3": Case(batch=3, height=5, width=4),
    "kernel-larger-than-input-same": Case(kernel=(5, 5), height=3, width=2),
}


def _short(kind: str) -> str:
    return "conv" if kind == "CONV_2D" else "dw"


def _shared_cases(kind: str) -> list:
    """Cases both operators run, in every dtype where they apply."""
    cases = []
    for name, geometry in GEOMETRIES.items():
        cases += [(f"{dtype}-{name}", replace(geometry, kind=kind, dtype=dtype)) for dtype in DTYPES]
    for activation in ACTIVATIONS:
        cases += [(f"{dtype}-{activation.lower()}", Case(kind=kind, dtype=dtype, activation=activation))
                  for dtype in DTYPES]
    cases += [(f"{dtype}-no-bias", Case(kind=kind, dtype=dtype, bias=None)) for dtype in DTYPES]
    for dtype in ("int8", "int16"):
        cases += [
            (f"{dtype}-per-tensor", Case(kind=kind, dtype=dtype, per_channel=False)),
            (f"{dtype}-multiplier-above-one", Case(kind=kind, dtype=dtype, kernel=(1, 1), in_depth=1,
                                                   out_depth=3, depth_multiplier=3, weight_bound=1,
                                                   bias=None, effective_scale=3.0)),
        ]
    cases += [
        ("int8-filter-zero-point-ignored", Case(kind=kind, filter_zero_point=3, per_channel=False)),
        ("int16-activation-zero-points-ignored", Case(kind=kind, dtype="int16", int16_zero_point=5,
                                                      activation="RELU")),
    ]
    return [pytest.param(case, id=f"{_short(kind)}-{name}") for name, case in cases]


def _depthwise_cases() -> list:
    cases = []
    for multiplier in (2, 3):
        for dtype in DTYPES:
            case = Case(kind="DEPTHWISE_CONV_2D", dtype=dtype, depth_multiplier=multiplier, in_depth=2,
                        stride=(2, 2), height=7, width=6, activation="RELU6")
            cases.append(pytest.param(case, id=f"dw-{dtype}-depth-multiplier-{multiplier}"))
    return cases


def _conv_cases() -> list:
    cases = []
    for dtype in DTYPES:
        cases += [
            pytest.param(Case(dtype=dtype, in_depth=6, out_depth=9, groups=3), id=f"conv-{dtype}-3-groups"),
            pytest.param(Case(dtype=dtype, in_depth=37, out_depth=13, height=5, width=5, activation="RELU"),
                         id=f"conv-{dtype}-deep-37-to-13"),
        ]
    return cases + [
        pytest.param(Case(dtype="int16", bias="int32"), id="conv-int16-int32-bias"),
        pytest.param(Case(dtype="int16", bias="int32", per_channel=False, activation="RELU"),
                     id="conv-int16-int32-bias-per-tensor-relu"),
        pytest.param(Case(dtype="int16", bias=None, quantized_bias_type=_TENSOR_TYPE_INT32),
                     id="conv-int16-no-bias-int32-accumulator"),
    ]


ALL_CASES = (_shared_cases("CONV_2D") + _shared_cases("DEPTHWISE_CONV_2D") + _depthwise_cases()
             + _conv_cases())


@pytest.mark.parametrize("case", ALL_CASES)
def test_matches_tflm(case: Case):
    for seed in (1, 2):  # two random models, each run on two random inputs
        assert assert_matches_tflm(build_model(case, seed), seed=seed, invocations=2) == 2


def _retype(input_index: int, dtype: str):
    def mutate(graph):
        graph.tensors[graph.operators[0].inputs[input_index]].dtype = dtype
    return mutate


@pytest.mark.parametrize("case, mutate, message", [
    # TFLM's int16 depthwise kernel reads the bias as int64 whatever its type.
    pytest.param(Case(kind="DEPTHWISE_CONV_2D", dtype="int16"), _retype(2, "int32"), "int32 bias",
                 id="dw-int16-int32-bias"),
    pytest.param(Case(dtype="int8"), _retype(2, "int64"), "int64 bias", id="conv-int8-int64-bias"),
    pytest.param(Case(dtype="float32"), _retype(1, "int8"), "hybrid", id="conv-hybrid"),
    # The reader names TensorType INT4 (17) this way; mcucompile rejects packed int4 filters.
    pytest.param(Case(dtype="int8"), _retype(1, "unknown_type_17"), "int4", id="conv-int4-filter"),
    pytest.param(Case(kind="DEPTHWISE_CONV_2D"), _retype(1, "unknown_type_17"), "int4", id="dw-int4-filter"),
])
def test_rejects_what_tflm_cannot_run(case, mutate, message):
    graph = read_model(build_model(case, 0)).main
    mutate(graph)
    op = graph.operators[0]
    with pytest.raises(UnsupportedModelError, match=message):
        KERNELS[op.kind].lower(op, graph)
