"""MEAN in C on the host (ASan + UBSan): every sweep model of the reference tests, built into
one executable per dtype, byte-identical with the Python reference and with TFLM."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.codegen.model_source import generate_model
from mcucompile.errors import UnsupportedModelError
from mcucompile.planning.plan import plan_memory
from mcucompile.reader import read_model
from tests.kernels.test_reduce import CASES, QUANTIZATIONS, _case_id, _seed, mean_model
from tests.support.host import assert_host_matches
from tests.support.modelbuilder import ModelBuilder


def _tiny_multiplier_model(dtype: str) -> bytes:
    """The reference tests' scale ratio near 2**-27, where the folded count shift is clamped."""
    b = ModelBuilder()
    x = b.tensor((1, 16, 16, 3), dtype, scale=1e-3, zero_point=5)
    axis = b.const(np.array([1, 2], dtype=np.int32), "int32")
    y = b.tensor((1, 1, 1, 3), dtype, scale=1e-3 * 2.0 ** 27, zero_point=-3)
    b.op("MEAN", [x, axis], [y], "ReducerOptions", keep_dims=True)
    b.io([x], [y])
    return b.build()


@pytest.mark.parametrize("dtype", ["float32", "int8", "int16"])
def test_mean_sweep_on_host(dtype):
    cases = []
    for case in CASES:
        shape, axes = case
        for keep_dims in (True, False):
            name = f"{_case_id(case)}_{keep_dims}".replace("-", "_")
            if dtype == "float32":
                seed = _seed(_case_id(case), keep_dims)
                cases.append((name, mean_model(shape, axes, keep_dims, dtype, seed)))
                continue
            for quantization in QUANTIZATIONS:
                seed = _seed(_case_id(case), keep_dims, dtype, quantization)
                cases.append((f"{name}_{quantization}", mean_model(shape, axes, keep_dims, dtype, seed, quantization)))
    if dtype != "float32":
        cases.append(("tiny_multiplier", _tiny_multiplier_model(dtype)))
    assert len(cases) == len(CASES) * 2 * (1 if dtype == "float32" else len(QUANTIZATIONS)) + (dtype != "float32")
    assert assert_host_matches(cases) == len(cases) * 2


def test_mean_with_too_many_axis_groups_is_refused():
    model = read_model(mean_model((2,) * 9, [0, 2, 4, 6, 8], False, "float32", seed=0))
    with pytest.raises(UnsupportedModelError, match="MEAN #0: kept and reduced axes alternate in 5 groups"):
        generate_model(model, plan_memory(model), "refused", "refused")
