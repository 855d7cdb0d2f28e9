"""QUANTIZE and DEQUANTIZE against TFLM, byte for byte.

Every dtype pair TFLM evaluates is swept over seeded scales (ratios above and below one, exact
powers of two, identity), zero points and odd shapes. Integer inputs are exhaustive for 8- and
16-bit types; float inputs are built to land exactly on .5 rounding ties, just beside them, and
beyond the output range. Pairs TFLM rejects, and per-channel tensors (which TFLM mishandles),
must be refused by lower().
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.executor import Executor
from mcucompile.reader import read_model
from tests.support.compare import assert_matches_tflm, run_reference
from tests.support.modelbuilder import ModelBuilder
from tests.support.tflm import run_tflm

REQUANTIZE_PAIRS = [
    ("int8", "int8"), ("int8", "uint8"), ("int8", "int16"), ("int8", "int32"),
    ("uint8", "int8"),
    ("int16", "int8"), ("int16", "int16"), ("int16", "int32"),
    ("int32", "int8"), ("int32", "int16"),
]
AFFINE_OUTPUTS = ["int8", "int16"]
DEQUANTIZE_INPUTS = ["int8", "uint8", "int16"]
ALL_DTYPES = ["float32", "int8", "uint8", "int16", "int32"]

# Nominal input_scale / output_scale ratios; "random_*" draw one log-uniformly in that range.
RATIOS = {"down": (0.01, 0.9), "up": (1.1, 60.0), "half": 0.5, "eighth": 0.125, "times4": 4.0, "same": 1.0}

# Odd shapes; the int16 one takes all 65536 values over eight invocations (the oracle arena is small).
SHAPES = {"int8": (3, 7, 13), "uint8": (3, 7, 13), "int16": (5, 1639), "int32": (11, 17)}


# Model building -------------------------------------------------------------------------------

def single_op_model(kind: str, shape, in_dtype: str, in_quant, out_dtype: str, out_quant) -> bytes:
    """One QUANTIZE or DEQUANTIZE; *_quant is (scale, zero_point), per-channel lists, or None."""
    builder = ModelBuilder()
    source = builder.tensor(shape, in_dtype, **_quant_kwargs(in_quant))
    target = builder.tensor(shape, out_dtype, **_quant_kwargs(out_quant))
    builder.op(kind, [source], [target])
    builder.io([source], [target])
    return builder.build()


def _quant_kwargs(quant) -> dict:
    if quant is None:
        return {}
    scale, zero_point = quant
    return {"scale": scale, "zero_point": zero_point}


# Parameter choices ----------------------------------------------------------------------------

def seeded_rng(*labels) -> np.random.Generator:
    return np.random.default_rng([sum(map(ord, str(label))) * 7919 + i for i, label in enumerate(labels)])


def log_uniform(rng, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def random_zero_point(rng, dtype: str) -> int:
    if dtype in ("int8", "uint8"):
        info = np.iinfo(dtype)
        return int(rng.integers(info.min, info.max, endpoint=True))
    if dtype == "int16":
        return int(rng.choice([0, -32768, int(rng.integers(-2000, 2000))]))
    return int(rng.integers(-1000, 1000))


def scales_with_ratio(rng, ratio_name: str) -> tuple[float, float]:
    """(input_scale, output_scale) as float32 values whose quotient is the named ratio; a power
    of two ratio stays exact because dividing a float32 by it is exact."""
    ratio = RATIOS[ratio_name]
    if isinstance(ratio, tuple):
        ratio = log_uniform(rng, *ratio)
    input_scale = float(np.float32(log_uniform(rng, 1e-4, 0.5)))
    return input_scale, float(np.float32(input_scale / ratio))


# Inputs ---------------------------------------------------------------------------------------

def fill_shape(values: np.ndarray, shape, dtype: str, rng) -> list[np.ndarray]:
    """Invocation inputs of `shape` holding every probe value: the values shuffled, split into
    as many invocations as needed, the last topped up with random ones."""
    size = int(np.prod(shape))
    count = -(-len(values) // size)
    if dtype == "float32":
        extra = rng.choice(values, count * size - len(values))
    else:
        info = np.iinfo(dtype)
        extra = rng.integers(info.min, info.max, count * size - len(values), endpoint=True)
    filled = np.concatenate([rng.permutation(values).astype(dtype), extra.astype(dtype)])
    return [chunk.reshape(shape) for chunk in np.split(filled, count)]


def integer_probe_values(dtype: str, zero_point: int, rng) -> np.ndarray:
    """Every value of an 8- or 16-bit type; for int32, magnitudes on every scale plus the
    extremes (where x - zero_point wraps in 32 bits)."""
    if dtype != "int32":
        info = np.iinfo(dtype)
        return np.arange(info.min, info.max + 1, dtype=np.int64)
    magnitudes = np.exp2(rng.uniform(0, 31, 150)).astype(np.int64)
    signs = rng.choice([-1, 1], 150)
    special = [np.iinfo(np.int32).min, np.iinfo(np.int32).max, zero_point, zero_point + 1, zero_point - 1, 0]
    return np.clip(np.concatenate([magnitudes * signs, special]), -(1 << 31), (1 << 31) - 1)


def exact_tie(target: float, scale: np.float32) -> np.float32 | None:
    """A float32 x with x / scale (in float32) exactly equal to target, searching the few float32
    values around target * scale; None if none of them divides exactly onto it."""
    x = np.float32(target * float(scale))
    for _ in range(8):
        x = np.nextafter(x, np.float32(-np.inf))
    for _ in range(17):
        if x / scale == np.float32(target):
            return x
        x = np.nextafter(x, np.float32(np.inf))
    return None


def float_probe_values(scale: float, zero_point: int, dtype: str, rng) -> tuple[np.ndarray, int]:
    """Values on .5 ties (and one float32 step either side) across the output range, beyond it
    on both sides, and zeros; returns them with the number of exact ties found."""
    info = np.iinfo(dtype)
    scale32 = np.float32(scale)
    low, high = info.min - zero_point, info.max - zero_point
    steps = np.concatenate([rng.integers(low - 4, high + 4, 60), [low - 1, low, high - 1, high]])
    ties = [t for t in (exact_tie(k + 0.5, scale32) for k in steps) if t is not None]
    ties += [-t for t in ties[:10]]
    neighbours = [np.nextafter(t, np.float32(direction)) for t in ties for direction in (-np.inf, np.inf)]
    beyond = [s * scale for s in (high + 1, high + 300, low - 1, low - 300, 1e6, -1e6, 2.0**30, -(2.0**30))]
    inside = rng.uniform((low - 20) * scale, (high + 20) * scale, 40)
    values = np.array(ties + neighbours + beyond + list(inside) + [0.0, -0.0, 1e-42, -1e-42], dtype=np.float32)
    return values, len(ties)


# Comparison -----------------------------------------------------------------------------------

def assert_identical_on(model: bytes, invocations: list[np.ndarray]) -> None:
    """Our reference and TFLM on the given inputs, one per invocation: identical bytes."""
    ours = run_reference(model, [[inputs] for inputs in invocations])
    theirs = run_tflm(model, [[inputs] for inputs in invocations], n_outputs=1)
    for inputs, [mine], [ref] in zip(invocations, ours, theirs):
        assert mine.dtype == ref.dtype and mine.shape == ref.shape, (mine.dtype, ref.dtype)
        if mine.tobytes() != ref.tobytes():
            as_bits = f"u{mine.itemsize}"  # bit patterns, so NaN and -0.0 compare exactly
            bad = np.flatnonzero(mine.ravel().view(as_bits) != ref.ravel().view(as_bits))
            raise AssertionError(f"{len(bad)} of {mine.size} elements differ; first inputs "
                                 f"{inputs.ravel()[bad[:5]].tolist()}: ours {mine.ravel()[bad[:5]].tolist()} "
                                 f"TFLM {ref.ravel()[bad[:5]].tolist()}")


def lower_error(model: bytes) -> str:
    with pytest.raises(UnsupportedModelError) as caught:
        Executor(read_model(model))
    return str(caught.value)


# QUANTIZE between integer types ---------------------------------------------------------------

@pytest.mark.parametrize("ratio_name", list(RATIOS))
@pytest.mark.parametrize("in_dtype,out_dtype", REQUANTIZE_PAIRS, ids=[f"{a}-{b}" for a, b in REQUANTIZE_PAIRS])
def test_requantize(in_dtype, out_dtype, ratio_name):
    rng = seeded_rng("requantize", in_dtype, out_dtype, ratio_name)
    in_scale, out_scale = scales_with_ratio(rng, ratio_name)
    in_zp, out_zp = random_zero_point(rng, in_dtype), random_zero_point(rng, out_dtype)
    shape = SHAPES[in_dtype]
    model = single_op_model("QUANTIZE", shape, in_dtype, (in_scale, in_zp), out_dtype, (out_scale, out_zp))
    assert_identical_on(model, fill_shape(integer_probe_values(in_dtype, in_zp, rng), shape, in_dtype, rng))
    assert_matches_tflm(model, seed=int(rng.integers(1 << 30)), invocations=2)


# (name, input dtype, input quant, output dtype, output quant): the QUANTIZE ops of real models.
MODEL_QUANTIZES = [
    ("mww_int8_to_uint8", "int8", (0.00390625, -128), "uint8", (0.00390625, 0)),
    ("keyword_int16_to_int8", "int16", (0.000625, 0), "int8", (0.05920833, -128)),
    ("keyword_int16_to_int32", "int16", (1.5259022e-05, -32768), "int32", (3.051851e-05, 0)),
    ("seanet_int16_to_int32", "int16", (0.00049431, 0), "int32", (1.4901161e-07, 0)),
    ("uint8_to_int8_xor", "uint8", (0.02, 128), "int8", (0.02, 0)),
    ("int32_without_quantisation", "int32", None, "int8", (0.5, 3)),
]


@pytest.mark.parametrize("in_dtype,in_quant,out_dtype,out_quant",
                         [case[1:] for case in MODEL_QUANTIZES], ids=[case[0] for case in MODEL_QUANTIZES])
def test_requantize_as_in_real_models(in_dtype, in_quant, out_dtype, out_quant):
    rng = seeded_rng("models", in_dtype, out_dtype)
    shape = SHAPES[in_dtype]
    model = single_op_model("QUANTIZE", shape, in_dtype, in_quant, out_dtype, out_quant)
    zero_point = 0 if in_quant is None else in_quant[1]
    assert_identical_on(model, fill_shape(integer_probe_values(in_dtype, zero_point, rng), shape, in_dtype, rng))


def test_int8_to_uint8_at_equal_scale_shifts_by_128():
    """The microWakeWord output: same scale, zero points -128 -> 0, so q + 128 exactly."""
    model = single_op_model("QUANTIZE", (1, 256), "int8", (0.00390625, -128), "uint8", (0.00390625, 0))
    values = np.arange(-128, 128, dtype=np.int8).reshape(1, 256)
    out = run_reference(model, [[values]])[0][0]
    assert out.tolist() == [list(range(256))]
    assert_identical_on(model, [values])


# QUANTIZE from float32 ------------------------------------------------------------------------

# (name, scale or None for a random one, zero point or None for a random one)
FLOAT_SCALES = [("pow2", 2.0**-5, 0), ("pow2_zp", 2.0**-3, None), ("random", None, None),
                ("random_zp0", None, 0), ("tiny", None, None), ("large", 37.5, None)]


def float_quantize_case(out_dtype: str, scale_name: str, scale, zero_point):
    """A float32 -> out_dtype QUANTIZE model, its probe input (ties, neighbours, out of range), the
    number of exact rounding ties in it, and the generator to draw further inputs from."""
    rng = seeded_rng("float", out_dtype, scale_name)
    if scale is None:
        scale = log_uniform(rng, 1e-6, 1e-4) if scale_name == "tiny" else log_uniform(rng, 1e-3, 0.3)
    if zero_point is None:
        zero_point = random_zero_point(rng, out_dtype)
    scale = float(np.float32(scale))
    values, ties = float_probe_values(scale, zero_point, out_dtype, rng)
    shape = (3, 11, 17)
    model = single_op_model("QUANTIZE", shape, "float32", None, out_dtype, (scale, zero_point))
    return model, fill_shape(values, shape, "float32", rng), ties, rng


@pytest.mark.parametrize("scale_name,scale,zero_point", FLOAT_SCALES, ids=[case[0] for case in FLOAT_SCALES])
@pytest.mark.parametrize("out_dtype", AFFINE_OUTPUTS)
def test_quantize_float(out_dtype, scale_name, scale, zero_point):
    model, probe, ties, rng = float_quantize_case(out_dtype, scale_name, scale, zero_point)
    assert ties >= 30, f"only {ties} exact rounding ties constructed"
    assert_identical_on(model, probe)
    assert_matches_tflm(model, seed=int(rng.integers(1 << 30)), invocations=2)


@pytest.mark.parametrize("zero_point", [0, 5, -7])
@pytest.mark.parametrize("out_dtype", AFFINE_OUTPUTS)
def test_quantize_float_beyond_int32(out_dtype, zero_point):
    """x / scale outside int32 (and NaN, inf) is undefined behaviour in C; the x86 oracle turns it
    into INT32_MIN, adds the zero point with wrap-around, then clamps. We reproduce that."""
    scale = 0.25
    edge = 2.0**31 * scale
    values = np.array([np.nan, np.inf, -np.inf, 3e9, -3e9, edge, -edge, np.nextafter(np.float32(edge), 0),
                       np.nextafter(np.float32(-edge), -np.inf), 1e30, -1e30], dtype=np.float32)
    model = single_op_model("QUANTIZE", values.shape, "float32", None, out_dtype, (scale, zero_point))
    assert_identical_on(model, [values])


# DEQUANTIZE ----------------------------------------------------------------------------------

# (name, scale or None for a random one): tiny and huge scales reach float32 denormals and infinity.
DEQUANTIZE_SCALES = [("random_a", None), ("random_b", None), ("pow2", 2.0**-7), ("tiny", 3e-41), ("huge", 3e37)]


@pytest.mark.parametrize("scale_name,scale", DEQUANTIZE_SCALES, ids=[case[0] for case in DEQUANTIZE_SCALES])
@pytest.mark.parametrize("in_dtype", DEQUANTIZE_INPUTS)
def test_dequantize(in_dtype, scale_name, scale):
    rng = seeded_rng("dequantize", in_dtype, scale_name)
    scale = float(np.float32(log_uniform(rng, 1e-5, 2.0) if scale is None else scale))
    zero_point = random_zero_point(rng, in_dtype)
    shape = SHAPES[in_dtype]
    model = single_op_model("DEQUANTIZE", shape, in_dtype, (scale, zero_point), "float32", None)
    assert_identical_on(model, fill_shape(integer_probe_values(in_dtype, zero_point, rng), shape, in_dtype, rng))
    assert_matches_tflm(model, seed=int(rng.integers(1 << 30)), invocations=2)


# What TFLM refuses ----------------------------------------------------------------------------

SUPPORTED_QUANTIZE = set(REQUANTIZE_PAIRS) | {("float32", out) for out in AFFINE_OUTPUTS}
UNSUPPORTED = ([("QUANTIZE", a, b) for a, b in itertools.product(ALL_DTYPES, ALL_DTYPES)
                if (a, b) not in SUPPORTED_QUANTIZE]
               + [("DEQUANTIZE", a, "float32") for a in ALL_DTYPES if a not in DEQUANTIZE_INPUTS]
               + [("DEQUANTIZE", "int8", b) for b in ALL_DTYPES if b != "float32"])


@pytest.mark.parametrize("kind,in_dtype,out_dtype", UNSUPPORTED, ids=[f"{k}-{a}-{b}" for k, a, b in UNSUPPORTED])
def test_pairs_tflm_rejects_are_refused(kind, in_dtype, out_dtype):
    model = single_op_model(kind, (2, 3), in_dtype, (0.5, 0), out_dtype, (0.25, 0))
    with pytest.raises(RuntimeError):
        run_tflm(model, [[np.zeros((2, 3), dtype=in_dtype)]], n_outputs=1)
    message = lower_error(model)
    assert f"{kind} #0" in message and f"{in_dtype} -> {out_dtype}" in message


PER_CHANNEL = [
    ("quantize_output", "QUANTIZE", "float32", None, "int8", ([0.1, 0.2, 0.3], [0, 1, 2])),
    ("requantize_input", "QUANTIZE", "int8", ([0.1, 0.2, 0.3], [0, 1, 2]), "int8", (0.5, 0)),
    ("dequantize_input", "DEQUANTIZE", "int8", ([0.1, 0.2, 0.3], [0, 1, 2]), "float32", None),
]


@pytest.mark.parametrize("kind,in_dtype,in_quant,out_dtype,out_quant", [case[1:] for case in PER_CHANNEL],
                         ids=[case[0] for case in PER_CHANNEL])
def test_per_channel_is_refused(kind, in_dtype, in_quant, out_dtype, out_quant):
    model = single_op_model(kind, (3, 4), in_dtype, in_quant, out_dtype, out_quant)
    assert "per-channel" in lower_error(model)


def test_quantize_output_without_quantisation_is_refused():
    model = single_op_model("QUANTIZE", (5,), "float32", None, "int8", None)
    assert "no quantisation parameters" in lower_error(model)
