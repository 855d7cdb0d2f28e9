"""fold-pad: PAD + VALID convolution becomes one convolution with explicit padding, exactly."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.passes.fold_pad import fold_pad
from mcucompile.reader import read_model
from tests.support.compare import random_invocations, run_optimised
from tests.support.modelbuilder import ModelBuilder
from tests.support.tflm import run_tflm


def _pad_conv(dtype: str, kind: str, pads, stride: int = 1, pad_zero_point: int | None = None) -> bytes:
    rng = np.random.default_rng(7)
    b = ModelBuilder()
    quantised = dtype != "float32"
    zp = 0 if dtype == "int16" else -5
    q = {"scale": 0.05, "zero_point": zp} if quantised else {}
    pq = {"scale": 0.05, "zero_point": zp if pad_zero_point is None else pad_zero_point} if quantised else {}
    x = b.tensor([1, 7, 6, 3], dtype, **q)
    paddings = b.const(np.array(pads, np.int32), "int32")
    padded_shape = [1, 7 + pads[1][0] + pads[1][1], 6 + pads[2][0] + pads[2][1], 3]
    padded = b.tensor(padded_shape, dtype, **pq)
    out_c = 4 if kind == "CONV_2D" else 3
    wshape = [out_c, 3, 3, 3] if kind == "CONV_2D" else [1, 3, 3, 3]
    wdtype = "float32" if dtype == "float32" else "int8"
    weights = rng.integers(-127, 128, size=wshape) if quantised else rng.standard_normal(wshape)
    w = b.const(weights.astype(wdtype), wdtype, **({"scale": 0.02, "zero_point": 0} if quantised else {}))
    bias_dtype = {"int8": "int32", "int16": "int64", "float32": "float32"}[dtype]
    bias = b.const((rng.integers(-500, 500, size=out_c) if quantised else rng.standard_normal(out_c)).astype(bias_dtype),
                   bias_dtype, **({"scale": 0.001, "zero_point": 0} if quantised else {}))
    oh = (padded_shape[1] - 3) // stride + 1
    ow = (padded_shape[2] - 3) // stride + 1
    y = b.tensor([1, oh, ow, out_c], dtype, **({"scale": 0.1, "zero_point": 2 if dtype == "int8" else 0} if quantised else {}))
    b.op("PAD", [x, paddings], [padded], "PadOptions")
    options = {"padding": "VALID", "stride_h": stride, "stride_w": stride, "dilation_h_factor": 1,
               "dilation_w_factor": 1, "fused_activation_function": "NONE"}
    if kind == "CONV_2D":
        b.op(kind, [padded, w, bias], [y], "Conv2DOptions", **options)
    else:
        b.op(kind, [padded, w, bias], [y], "DepthwiseConv2DOptions", depth_multiplier=1, **options)
    b.io([x], [y])
    return b.build()


CASES = [(d, k, p, s) for d in ("int8", "int16", "float32") for k in ("CONV_2D", "DEPTHWISE_CONV_2D")
         for p, s in ((((0, 0), (1, 1), (1, 1), (0, 0)), 1), (((0, 0), (2, 0), (0, 3), (0, 0)), 2))]


@pytest.mark.parametrize("dtype,kind,pads,stride", CASES, ids=[f"{c[0]}-{c[1]}-s{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_folded_pad_matches_tflm(dtype, kind, pads, stride):
    data = _pad_conv(dtype, kind, pads, stride)
    folded = fold_pad(read_model(data))
    assert [op.kind for op in folded.main.operators] == [kind]
    inputs = random_invocations(data, seed=3, count=2)
    ours = run_optimised(data, inputs)
    theirs = run_tflm(data, inputs, n_outputs=1)
    for mine, ref in zip(ours, theirs):
        assert mine[0].tobytes() == ref[0].tobytes()


def test_pad_with_other_fill_value_is_kept():
    data = _pad_conv("int8", "CONV_2D", ((0, 0), (1, 1), (1, 1), (0, 0)), pad_zero_point=9)
    assert [op.kind for op in fold_pad(read_model(data)).main.operators] == ["PAD", "CONV_2D"]


def test_pad_over_channels_is_kept():
    data = _pad_conv("float32", "CONV_2D", ((0, 0), (1, 1), (1, 1), (0, 0)))
    model = read_model(data)
    model.main.tensors[model.main.operators[0].inputs[1]].data = np.array(
        [[0, 0], [1, 1], [1, 1], [0, 1]], np.int32)
    assert [op.kind for op in fold_pad(model).main.operators] == ["PAD", "CONV_2D"]
