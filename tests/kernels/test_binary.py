"""ADD, SUB, MUL, MAXIMUM, MINIMUM: the Python reference against TFLM, byte for byte.

Every case builds a one-operator model with seeded random quantisation and compares a few
seeded random invocations. Integer inputs span their whole range, so int32 cases exercise
wrap-around and quantised cases the saturation of every clamp.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.executor import Executor
from mcucompile.reader import read_model
from tests.support.compare import assert_matches_tflm, run_reference
from tests.support.modelbuilder import ModelBuilder
from tests.support.tflm import run_tflm

ARITHMETIC = ("ADD", "SUB", "MUL")
OPTIONS = {"ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions",
           "MAXIMUM": "MaximumMinimumOptions", "MINIMUM": "MaximumMinimumOptions"}
ACTIVATIONS = ("NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH")

# (id, input 1 shape, input 2 shape); the output shape is their numpy broadcast.
SHAPES = [
    ("same_4d", (2, 3, 4, 5), (2, 3, 4, 5)),
    ("odd_3d", (3, 7, 5), (3, 7, 5)),
    ("rank1", (7,), (7,)),
    ("rank0_scalar", (2, 3, 4), ()),
    ("scalar_first", (1,), (3, 5, 7)),
    ("channel_vector", (1, 4, 4, 8), (8,)),
    ("channel_vector_first", (8,), (2, 3, 8)),
    ("rank2_outer", (5, 1), (1, 6)),
    ("rank3_mixed", (3, 1, 5), (1, 4, 1)),
    ("fivefold", (2, 3, 1, 5), (2, 1, 4, 5)),
    ("fivefold_inner_scalar", (1, 3, 4, 1), (2, 3, 1, 1)),
    ("ranks_differ_same_size", (1, 3, 5), (3, 5)),
    ("rank5", (2, 1, 3, 1, 5), (1, 4, 1, 2, 1)),
    ("rank6", (2, 1, 2, 3, 1, 3), (1, 2, 1, 3, 2, 1)),
]


def case_rng(*key) -> np.random.Generator:
    """A generator seeded by the case itself, so every case draws different but fixed numbers."""
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def random_quantization(dtype: str, rng: np.random.Generator, ratio: float = 4.0,
                        int16_zero_points: bool = False):
    """(scale, zero point) for input 1, input 2 and the output. Each input scale lies within a
    factor `ratio` of a random base either way (so up to ratio**2 apart); the output's near it.
    int8 zero points are random; int16 ones are 0 unless asked for."""
    base = float(10 ** rng.uniform(-3.0, -1.0)) if dtype == "int8" else float(10 ** rng.uniform(-4.5, -3.0))
    scales = [base * ratio ** rng.uniform(-1, 1) for _ in range(2)] + [base * 2 ** rng.uniform(-1, 1.5)]
    if dtype == "int8":
        zps = [int(z) for z in rng.integers(-128, 128, size=3)]
    elif int16_zero_points:
        zps = [int(z) for z in rng.integers(-2000, 2000, size=3)]
    else:
        zps = [0, 0, 0]
    return list(zip(scales, zps))


def binary_model(kind: str, dtype: str, shape1, shape2, activation: str = "NONE", quantization=None,
                 constant: int | None = None, constant_rng: np.random.Generator | None = None) -> bytes:
    """One operator; `constant` (0 or 1) makes that input a constant tensor filled from constant_rng."""
    quantization = quantization or [(None, None)] * 3
    out_shape = np.broadcast_shapes(tuple(shape1), tuple(shape2))
    builder = ModelBuilder()
    inputs = []
    for position, shape in enumerate((shape1, shape2)):
        scale, zero_point = quantization[position]
        if position == constant:
            data = constant_values(dtype, shape, constant_rng)
            inputs.append(builder.const(data, dtype, scale=scale, zero_point=zero_point))
        else:
            inputs.append(builder.tensor(shape, dtype, scale=scale, zero_point=zero_point))
    scale, zero_point = quantization[2]
    output = builder.tensor(out_shape, dtype, scale=scale, zero_point=zero_point)
    attrs = {} if kind in ("MAXIMUM", "MINIMUM") else {"fused_activation_function": activation}
    builder.op(kind, inputs, [output], OPTIONS[kind], **attrs)
    builder.io([t for i, t in enumerate(inputs) if i != constant], [output])
    return builder.build()


def constant_values(dtype: str, shape, rng: np.random.Generator) -> np.ndarray:
    if dtype == "float32":
        return rng.uniform(-4.0, 4.0, size=shape).astype(np.float32)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)


def quantization_for(dtype: str, rng: np.random.Generator):
    return random_quantization(dtype, rng) if dtype in ("int8", "int16") else None


# Arithmetic over every broadcast pattern and data type ------------------------------------------

@pytest.mark.parametrize("shape_id,shape1,shape2", SHAPES, ids=[s[0] for s in SHAPES])
@pytest.mark.parametrize("dtype", ["int8", "int16", "float32", "int32"])
@pytest.mark.parametrize("kind", ARITHMETIC)
def test_arithmetic_shapes(kind, dtype, shape_id, shape1, shape2):
    rng = case_rng(kind, dtype, shape_id)
    model = binary_model(kind, dtype, shape1, shape2, quantization=quantization_for(dtype, rng))
    assert_matches_tflm(model, seed=zlib.crc32(shape_id.encode()), invocations=2)


# Every fused activation. TFLM treats a fused TANH as no activation at all, and int32 ADD
# ignores the fused activation while int32 SUB and MUL clamp to it.

@pytest.mark.parametrize("broadcast", [False, True], ids=["same_shape", "broadcast"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dtype", ["int8", "int16", "float32", "int32"])
@pytest.mark.parametrize("kind", ARITHMETIC)
def test_fused_activations(kind, dtype, activation, broadcast):
    rng = case_rng(kind, dtype, activation, broadcast)
    shape2 = (6,) if broadcast else (3, 5, 6)
    model = binary_model(kind, dtype, (3, 5, 6), shape2, activation, quantization_for(dtype, rng))
    assert_matches_tflm(model, seed=len(activation), invocations=2)


# One constant operand, on either side, broadcast or not ----------------------------------------

@pytest.mark.parametrize("shape1,shape2", [((2, 4, 6), (2, 4, 6)), ((2, 4, 6), (6,)), ((1,), (2, 4, 6))],
                         ids=["same_shape", "vector", "scalar"])
@pytest.mark.parametrize("constant", [0, 1], ids=["const_input1", "const_input2"])
@pytest.mark.parametrize("dtype", ["int8", "int16", "float32", "int32"])
@pytest.mark.parametrize("kind", ARITHMETIC)
def test_constant_operand(kind, dtype, constant, shape1, shape2):
    rng = case_rng(kind, dtype, constant, shape1, shape2)
    model = binary_model(kind, dtype, shape1, shape2, "RELU", quantization_for(dtype, rng),
                         constant=constant, constant_rng=rng)
    assert_matches_tflm(model, seed=constant, invocations=2)


# Scale ratios: ADD/SUB rescale both inputs to twice the larger scale; MUL's multiplier
# s1*s2/so may be far below or above 1 (a left shift). Many seeds, so that the double-precision
# rounding of the multipliers is pinned down (float32 arithmetic differs on a fraction of them).

@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("ratio", [1.0, 30.0, 3000.0], ids=["equal_scales", "ratio_30", "ratio_3000"])
@pytest.mark.parametrize("dtype", ["int8", "int16"])
@pytest.mark.parametrize("kind", ARITHMETIC)
def test_scale_ratios(kind, dtype, ratio, seed):
    rng = case_rng(kind, dtype, ratio, seed)
    quantization = random_quantization(dtype, rng, ratio=ratio)
    if ratio == 1.0:
        quantization[1] = (quantization[0][0], quantization[1][1])
    model = binary_model(kind, dtype, (16, 64), (16, 64), quantization=quantization)
    assert_matches_tflm(model, seed=seed)


@pytest.mark.parametrize("output_scale", [1e-9, 1e-6, 1e-4, 0.5, 50.0])
@pytest.mark.parametrize("dtype", ["int8", "int16"])
def test_mul_extreme_output_scales(dtype, output_scale):
    """A tiny output scale makes the multiplier > 1 (left shift and int32 wrap of the shifted
    product); a huge one shifts almost everything out."""
    rng = case_rng("MUL", dtype, output_scale)
    quantization = random_quantization(dtype, rng)
    quantization[2] = (output_scale, quantization[2][1])
    model = binary_model("MUL", dtype, (4, 33), (33,), "RELU", quantization)
    assert_matches_tflm(model, seed=3)


def assert_identical_on(model: bytes, inputs: list[np.ndarray]) -> None:
    """Run chosen inputs (rather than random ones) through both and compare the bit patterns."""
    ours = run_reference(model, [inputs])[0][0]
    theirs = run_tflm(model, [inputs], n_outputs=1)[0][0]
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    bits = f"u{ours.itemsize}"
    bad = np.flatnonzero(ours.view(bits).ravel() != theirs.view(bits).ravel())
    first = bad[:5]
    assert bad.size == 0, f"{bad.size} differ, first {first}: ours {ours.ravel()[first]} TFLM {theirs.ravel()[first]}"


# MUL "wrap": the multiplier becomes (2^31 - 38) / 2^31 with a left shift of 17, so
# (-128) * (-128) << 17 wraps to INT32_MIN, the high multiply gives INT32_MIN + 38 and adding the
# output zero point -128 wraps around once more in int32 (the clamp then yields 127).
MUL_WRAP_QUANTIZATION = [(1.2697867155075073, 0), (0.7875338196754456, 0), (2.0 ** -17, -128)]
INT8_PAIR_CASES = [(kind, activation, ratio) for kind in ("ADD", "SUB", "MUL")
                   for activation, ratio in (("NONE", 4.0), ("RELU6", 4.0), ("NONE", 1000.0))]
INT8_PAIR_CASES += [("MUL", "NONE", "wrap"), ("MAXIMUM", "NONE", 1.0), ("MINIMUM", "NONE", 1.0)]


@pytest.mark.parametrize("kind,activation,ratio", INT8_PAIR_CASES,
                         ids=[f"{k}-{a}-ratio_{r}" for k, a, r in INT8_PAIR_CASES])
def test_int8_all_input_pairs(kind, activation, ratio):
    """All 65536 int8 input pairs in one invocation."""
    if ratio == "wrap":
        quantization = MUL_WRAP_QUANTIZATION
    else:
        quantization = random_quantization("int8", case_rng(kind, activation, ratio), ratio=ratio)
    values = np.arange(-128, 128, dtype=np.int8)
    model = binary_model(kind, "int8", (256, 256), (256, 256), activation, quantization)
    assert_identical_on(model, [np.repeat(values, 256).reshape(256, 256), np.tile(values, 256).reshape(256, 256)])


@pytest.mark.parametrize("broadcast", [False, True], ids=["same_shape", "broadcast"])
@pytest.mark.parametrize("kind", ["ADD", "SUB"])
def test_int16_add_sub_with_zero_points(kind, broadcast):
    """TFLM applies int16 ADD/SUB zero points like int8 ones (only MUL insists on zero)."""
    rng = case_rng(kind, "int16-zp", broadcast)
    quantization = random_quantization("int16", rng, int16_zero_points=True)
    model = binary_model(kind, "int16", (5, 40), (40,) if broadcast else (5, 40), "RELU", quantization)
    assert_matches_tflm(model, seed=11, invocations=2)


# MAXIMUM / MINIMUM compare raw stored values for every type TFLM registers -----------------

@pytest.mark.parametrize("shape_id,shape1,shape2", [SHAPES[0], SHAPES[3], SHAPES[5], SHAPES[8], SHAPES[13]],
                         ids=[SHAPES[i][0] for i in (0, 3, 5, 8, 13)])
@pytest.mark.parametrize("dtype", ["float32", "int8", "int16", "int32", "int64"])
@pytest.mark.parametrize("kind", ["MAXIMUM", "MINIMUM"])
def test_maximum_minimum(kind, dtype, shape_id, shape1, shape2):
    quantization = [(0.05, 3)] * 3 if dtype in ("int8", "int16") else None
    model = binary_model(kind, dtype, shape1, shape2, quantization=quantization)
    assert_matches_tflm(model, seed=7, invocations=2)


@pytest.mark.parametrize("kind", ["MAXIMUM", "MINIMUM"])
def test_maximum_minimum_constant_operand(kind):
    model = binary_model(kind, "int8", (3, 10), (10,), quantization=[(0.1, -4)] * 3, constant=1,
                         constant_rng=case_rng(kind, "const"))
    assert_matches_tflm(model, seed=2)


# Float32 special values: infinities clamp to the float range, NaN and -0.0 follow the C++
# comparison order of std::max/std::min and of the MAXIMUM/MINIMUM ternaries. Only one NaN
# bit pattern: which operand's NaN survives NaN * NaN depends on how the compiler orders the
# operands of a commutative instruction, not on the kernel.

SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 6.5, -6.5, 3.4e38, -3.4e38],
                   dtype=np.float32)


@pytest.mark.parametrize("activation", ["NONE", "RELU", "RELU6"])
@pytest.mark.parametrize("kind", ["ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM"])
def test_float_special_values(kind, activation):
    n = len(SPECIAL)
    input1 = np.repeat(SPECIAL, n)
    input2 = np.tile(SPECIAL, n)
    assert_identical_on(binary_model(kind, "float32", (n * n,), (n * n,), activation), [input1, input2])


# Combinations TFLM rejects (or aborts on) become one clear UnsupportedModelError ------------

def lowering_error(model: bytes) -> str:
    with pytest.raises(UnsupportedModelError) as error:
        Executor(read_model(model))
    return str(error.value)


def test_int16_mul_needs_zero_points_zero():
    model = binary_model("MUL", "int16", (4,), (4,), quantization=[(0.01, 0), (0.01, 3), (0.01, 0)])
    message = lowering_error(model)
    assert "MUL #0" in message and "zero point" in message


def test_add_output_scale_too_small_for_int8():
    model = binary_model("ADD", "int8", (4,), (4,), quantization=[(1.0, 0), (1.0, 0), (1e-6, 0)])
    assert "outside (0, 1)" in lowering_error(model)


def test_mixed_types_rejected():
    builder = ModelBuilder()
    a = builder.tensor((4,), "int8", scale=0.1, zero_point=0)
    b = builder.tensor((4,), "int16", scale=0.1, zero_point=0)
    out = builder.tensor((4,), "int8", scale=0.1, zero_point=0)
    builder.op("ADD", [a, b], [out], "AddOptions")
    builder.io([a, b], [out])
    assert "mixed tensor types" in lowering_error(builder.build())


def test_rank_above_six_rejected():
    model = binary_model("ADD", "float32", (1, 2, 1, 2, 1, 2, 3), (3,))
    assert "rank 7" in lowering_error(model)


def test_non_broadcastable_shapes_rejected():
    builder = ModelBuilder()
    a = builder.tensor((2, 3), "float32")
    b = builder.tensor((3, 2), "float32")
    out = builder.tensor((2, 3), "float32")
    builder.op("MAXIMUM", [a, b], [out], "MaximumMinimumOptions")
    builder.io([a, b], [out])
    assert "do not broadcast" in lowering_error(builder.build())


def test_int32_add_ignores_activation_but_sub_and_mul_apply_it():
    """The lowered bounds themselves: TFLM's int32 ADD clamps to the full range, SUB/MUL to RELU6."""
    bounds = {}
    for kind in ARITHMETIC:
        executor = Executor(read_model(binary_model(kind, "int32", (4,), (4,), "RELU6")))
        params = executor.lowered[0][0].params
        bounds[kind] = (params["activation_min"], params["activation_max"])
    assert bounds == {"ADD": (-(1 << 31), (1 << 31) - 1), "SUB": (0, 6), "MUL": (0, 6)}
