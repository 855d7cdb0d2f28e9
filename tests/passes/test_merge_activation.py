"""merge-activation: a lone RELU-family op becomes the producer's fused clamp, only when exact."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.passes.merge_activation import merge_activations
from mcucompile.reader import read_model
from tests.support.compare import random_invocations, run_optimised
from tests.support.modelbuilder import ModelBuilder
from tests.support.tflm import run_tflm


def _producer_then(kind: str, activation: str, dtype: str = "int8", out_scale: float | None = None) -> bytes:
    rng = np.random.default_rng(11)
    zp = -7 if dtype == "int8" else 0
    b = ModelBuilder()
    x = b.tensor([1, 5, 5, 3], dtype, scale=0.03, zero_point=zp)
    mid_q = {"scale": 0.02, "zero_point": 4 if dtype == "int8" else 0}
    mid = b.tensor([1, 5, 5, 4] if kind == "CONV_2D" else [1, 5, 5, 3], dtype, **mid_q)
    if kind == "CONV_2D":
        w = b.const(rng.integers(-100, 100, size=(4, 3, 3, 3)).astype(np.int8), "int8", scale=0.01, zero_point=0)
        bias_dtype = "int32" if dtype == "int8" else "int64"
        bias = b.const(rng.integers(-300, 300, size=4).astype(bias_dtype), bias_dtype, scale=0.0003, zero_point=0)
        b.op("CONV_2D", [x, w, bias], [mid], "Conv2DOptions", padding="SAME", stride_h=1, stride_w=1,
             dilation_h_factor=1, dilation_w_factor=1, fused_activation_function="NONE")
    else:
        y2 = b.tensor([1, 5, 5, 3], dtype, scale=0.05, zero_point=zp)
        b.op("ADD", [x, y2], [mid], "AddOptions", fused_activation_function="NONE")
    out_q = dict(mid_q) if out_scale is None else {"scale": out_scale, "zero_point": mid_q["zero_point"]}
    out = b.tensor(b.current.tensors[mid].shape, dtype, **out_q)
    b.op(activation, [mid], [out])
    b.io([x] if kind == "CONV_2D" else [x, y2], [out])
    return b.build()


@pytest.mark.parametrize("kind,activation,dtype", [
    ("CONV_2D", "RELU", "int8"), ("CONV_2D", "RELU6", "int8"),
    ("ADD", "RELU", "int8"), ("ADD", "RELU6", "int8"), ("CONV_2D", "RELU6", "int16"),
])
def test_merged_activation_matches_tflm(kind, activation, dtype):
    data = _producer_then(kind, activation, dtype)
    merged = merge_activations(read_model(data))
    assert [op.kind for op in merged.main.operators] == [kind]
    assert merged.main.operators[0].attrs["fused_activation_function"] == activation
    inputs = random_invocations(data, seed=5, count=2)
    for ours, theirs in zip(run_optimised(data, inputs), run_tflm(data, inputs, n_outputs=1)):
        assert ours[0].tobytes() == theirs[0].tobytes()


def test_requantising_activation_is_kept():
    data = _producer_then("CONV_2D", "RELU", out_scale=0.04)
    assert [op.kind for op in merge_activations(read_model(data)).main.operators] == ["CONV_2D", "RELU"]
