"""MEAN against TFLM: shapes x axes x keep_dims x dtype x (re)quantisation sweeps."""
from __future__ import annotations

import zlib

import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.executor import Executor
from mcucompile.reader import read_model
from tests.support.compare import assert_matches_tflm
from tests.support.modelbuilder import ModelBuilder

# (input shape, axis tensor contents); a bare int makes a scalar axis tensor.
CASES = [
    ((1, 5, 7, 3), [1, 2]),  # TFLM's 4-D height-and-width special case (with keep_dims)
    ((1, 5, 7, 3), [2, 1]),
    ((2, 4, 6, 5), [-3, -2]),
    ((1, 32, 32, 16), [1, 2]),  # long float32 sums expose any reordering
    ((3, 4, 5), [0]),
    ((3, 4, 5), [2]),
    ((3, 4, 5), [0, 2]),
    ((2, 3, 4, 5), [3, 1]),
    ((2, 3, 4, 5), [0, 1, 2, 3]),
    ((4, 5), [1, 1, -1]),  # duplicates collapse
    ((2, 3, 4), 1),
    ((9,), [0]),
    ((1, 1, 1, 1), [1, 2]),
    ((6, 300), [-1]),
]

# Output scale relative to the input's, and the output zero point offset.
QUANTIZATIONS = {
    "same_quantization": (1.0, 0),
    "smaller_output_scale": (0.37, 11),
    "larger_output_scale": (4.3, -17),
}


def _case_id(case) -> str:
    shape, axes = case
    axes_id = str(axes) if isinstance(axes, int) else "_".join(str(a) for a in axes)
    return "x".join(map(str, shape)) + "-axis" + axes_id.replace("-", "m")


def _output_shape(shape, axes, keep_dims: bool) -> tuple[int, ...]:
    reduced = {a % len(shape) for a in np.atleast_1d(axes)}
    if keep_dims:
        return tuple(1 if d in reduced else n for d, n in enumerate(shape))
    return tuple(n for d, n in enumerate(shape) if d not in reduced)


def _input_quantization(dtype: str, rng: np.random.Generator) -> tuple[float, int]:
    if dtype == "int8":
        return float(rng.uniform(0.01, 0.1)), int(rng.integers(-50, 50))
    return float(rng.uniform(1e-4, 1e-3)), int(rng.integers(-300, 300))


def mean_model(shape, axes, keep_dims: bool, dtype: str, seed: int, quantization: str | None = None,
               axis_is_input: bool = False) -> bytes:
    rng = np.random.default_rng(seed)
    in_q: dict = {}
    out_q: dict = {}
    if dtype != "float32":
        scale, zero_point = _input_quantization(dtype, rng)
        ratio, offset = QUANTIZATIONS[quantization]
        in_q = {"scale": scale, "zero_point": zero_point}
        out_q = {"scale": scale * ratio, "zero_point": zero_point + offset}
    b = ModelBuilder()
    x = b.tensor(shape, dtype, **in_q)
    axis_values = np.asarray(axes, dtype=np.int32)
    axis = (b.tensor(axis_values.shape, "int32") if axis_is_input else b.const(axis_values, "int32"))
    y = b.tensor(_output_shape(shape, axes, keep_dims), dtype, **out_q)
    b.op("MEAN", [x, axis], [y], "ReducerOptions", keep_dims=keep_dims)
    b.io([x, axis] if axis_is_input else [x], [y])
    return b.build()


def _seed(*parts) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode())


@pytest.mark.parametrize("keep_dims", [True, False], ids=["keep_dims", "drop_dims"])
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_float_mean_matches_tflm(case, keep_dims):
    shape, axes = case
    seed = _seed(_case_id(case), keep_dims)
    assert assert_matches_tflm(mean_model(shape, axes, keep_dims, "float32", seed), seed=seed, invocations=2)


@pytest.mark.parametrize("quantization", list(QUANTIZATIONS))
@pytest.mark.parametrize("dtype", ["int8", "int16"])
@pytest.mark.parametrize("keep_dims", [True, False], ids=["keep_dims", "drop_dims"])
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_quantized_mean_matches_tflm(case, keep_dims, dtype, quantization):
    shape, axes = case
    seed = _seed(_case_id(case), keep_dims, dtype, quantization)
    model = mean_model(shape, axes, keep_dims, dtype, seed, quantization)
    assert assert_matches_tflm(model, seed=seed, invocations=2)


@pytest.mark.parametrize("dtype", ["int8", "int16"])
def test_tiny_multiplier_clamps_the_count_shift(dtype):
    """An input/output scale ratio near 2**-27 leaves too little shift room for 1/count, so TFLM
    clamps the shift it folds in; the output must still match."""
    b = ModelBuilder()
    x = b.tensor((1, 16, 16, 3), dtype, scale=1e-3, zero_point=5)
    axis = b.const(np.array([1, 2], dtype=np.int32), "int32")
    y = b.tensor((1, 1, 1, 3), dtype, scale=1e-3 * 2.0 ** 27, zero_point=-3)
    b.op("MEAN", [x, axis], [y], "ReducerOptions", keep_dims=True)
    b.io([x], [y])
    assert assert_matches_tflm(b.build(), seed=1, invocations=2)


def test_mean_of_a_constant_input_requantises_exactly():
    """Every cell equal to the input zero point plus k gives exactly k input steps of mean."""
    b = ModelBuilder()
    x = b.tensor((1, 3, 5, 4), "int8", scale=0.05, zero_point=-7)
    axis = b.const(np.array([1, 2], dtype=np.int32), "int32")
    y = b.tensor((1, 4), "int8", scale=0.02, zero_point=3)
    b.op("MEAN", [x, axis], [y], "ReducerOptions", keep_dims=False)
    b.io([x], [y])
    model = b.build()
    cells = np.broadcast_to(np.array([-7, -3, 13, 100], dtype=np.int8), (1, 3, 5, 4)).copy()
    mean = Executor(read_model(model)).invoke([cells])[0]
    # (q - zp_in) * 0.05 / 0.02 + zp_out, rounded half away from zero, saturated to int8
    assert mean.tolist() == [[3, 13, 53, 127]]


def test_runtime_axis_is_rejected():
    model = mean_model((2, 3, 4), [1], True, "float32", seed=0, axis_is_input=True)
    with pytest.raises(UnsupportedModelError, match="MEAN #0: the axis tensor is computed at run time"):
        Executor(read_model(model))


def test_out_of_range_axis_is_rejected():
    b = ModelBuilder()
    x = b.tensor((2, 3), "float32")
    axis = b.const(np.array([2], dtype=np.int32), "int32")
    y = b.tensor((2, 3), "float32")
    b.op("MEAN", [x, axis], [y], "ReducerOptions", keep_dims=True)
    b.io([x], [y])
    with pytest.raises(UnsupportedModelError, match="MEAN #0: axis 2 is out of range for a 2-D input"):
        Executor(read_model(b.build()))
