"""Activation kernels (SOFTMAX, LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, HARD_SWISH) against TFLM.

Integer outputs must be byte-identical. Float32 outputs of the libm-based kernels may differ by
libm's rounding: TANH by up to 2 ULP (glibc's tanhf is not correctly rounded), SOFTMAX and LOGISTIC
by up to 2 ULP (one ULP of expf, carried through a division). The other float kernels are plain
arithmetic and must match exactly.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.executor import Executor
from mcucompile.reader import read_model
from tests.support.compare import assert_matches_tflm, run_reference, ulp_distance
from tests.support.modelbuilder import ModelBuilder
from tests.support.tflm import run_tflm

LIBM_ULP = {"SOFTMAX": 2, "LOGISTIC": 2, "TANH": 2}
OPTIONS = {"SOFTMAX": "SoftmaxOptions", "LEAKY_RELU": "LeakyReluOptions"}
ODD_SHAPES = [(1, 1), (7,), (3, 5, 13), (2, 3, 5, 11)]


def single_op_model(kind, shape, in_dtype, out_dtype=None, in_q=None, out_q=None, **attrs) -> bytes:
    """One operator from input to output; in_q/out_q are (scale, zero_point) or None for float."""
    builder = ModelBuilder()
    source = builder.tensor(shape, in_dtype, **_quant_kwargs(in_q))
    result = builder.tensor(shape, out_dtype or in_dtype, **_quant_kwargs(out_q))
    builder.op(kind, [source], [result], OPTIONS.get(kind), **attrs)
    builder.io([source], [result])
    return builder.build()


def _quant_kwargs(q):
    return {} if q is None else {"scale": q[0], "zero_point": q[1]}


def case_rng(case_id: str) -> np.random.Generator:
    """A generator seeded by the test id, so every case draws its own reproducible parameters."""
    return np.random.default_rng(zlib.crc32(case_id.encode()))


def log_uniform(rng, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def random_zero_point(rng, dtype: str) -> int:
    return int(rng.integers(-128, 128)) if dtype == "int8" else int(rng.integers(-300, 301))


def assert_same_on(model: bytes, x: np.ndarray, max_ulp: int = 0) -> None:
    """Compare ours and TFLM's output on one explicit input."""
    ours = run_reference(model, [[x]])[0][0]
    theirs = run_tflm(model, [[x]], n_outputs=1)[0][0]
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if max_ulp:
        assert int(ulp_distance(ours, theirs).max()) <= max_ulp
    else:
        bad = np.flatnonzero(ours.ravel() != theirs.ravel())
        assert bad.size == 0, (f"{bad.size} of {ours.size} differ; inputs {x.ravel()[bad[:5]].tolist()} ours "
                               f"{ours.ravel()[bad[:5]].tolist()} TFLM {theirs.ravel()[bad[:5]].tolist()}")


def every_value(dtype: str) -> np.ndarray:
    info = np.iinfo(dtype)
    return np.arange(info.min, info.max + 1).astype(dtype)


# SOFTMAX ----------------------------------------------------------------------------------------
SOFTMAX_OUTPUTS = {"int8": (1 / 256, -128), "int16": (1 / 32768, 0)}


def softmax_quantization(rng, in_dtype: str, out_dtype: str):
    if in_dtype == "float32":
        return None, None
    if in_dtype == "int16":
        return (log_uniform(rng, 2e-5, 2e-3), 0), SOFTMAX_OUTPUTS["int16"]
    in_q = (log_uniform(rng, 2e-3, 0.3), random_zero_point(rng, "int8"))
    return in_q, (SOFTMAX_OUTPUTS["int8"] if out_dtype == "int8" else (1 / 65536, -32768))


@pytest.mark.parametrize("shape", ODD_SHAPES + [(2, 301)], ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("beta", [1.0, 0.37, 2.5], ids=lambda b: f"beta{b}")
@pytest.mark.parametrize("types", [("int8", "int8"), ("int8", "int16"), ("int16", "int16"), ("float32", "float32")],
                         ids=lambda t: f"{t[0]}-{t[1]}")
def test_softmax(request, types, beta, shape):
    in_q, out_q = softmax_quantization(case_rng(request.node.name), *types)
    model = single_op_model("SOFTMAX", shape, types[0], types[1], in_q, out_q, beta=beta)
    assert_matches_tflm(model, seed=7, invocations=3, max_ulp=LIBM_ULP["SOFTMAX"] if types[0] == "float32" else 0)


@pytest.mark.parametrize("types,in_q,beta", [
    (("int8", "int8"), (0.9, 5), 100.0),          # beta * scale * 2**26 is capped at 2**31 - 1
    (("int8", "int16"), (0.5, -3), 50.0),
    (("int8", "int8"), (1e-6, 0), 1.0),            # tiny multiplier: large left shift
    (("int16", "int16"), (0.05, 0), 3.0),          # multiplier above one: a left shift
    (("int16", "int16"), (1e-6, 0), 0.5),          # differences vanish: near-uniform output
], ids=["int8-capped-multiplier", "int8-int16-capped", "int8-tiny-scale", "int16-left-shift", "int16-tiny-scale"])
def test_softmax_extreme_scales(types, in_q, beta):
    out_q = SOFTMAX_OUTPUTS["int8"] if types[1] == "int8" else (
        (1 / 65536, -32768) if types[0] == "int8" else SOFTMAX_OUTPUTS["int16"])
    model = single_op_model("SOFTMAX", (3, 17), types[0], types[1], in_q, out_q, beta=beta)
    assert_matches_tflm(model, seed=3, invocations=3)


@pytest.mark.parametrize("in_dtype", ["int8", "int16"])
def test_softmax_rows_near_the_maximum(in_dtype):
    """Rows of equal and nearly equal values stress the sum and the reciprocal."""
    info = np.iinfo(in_dtype)
    rows = [np.full(9, info.max), np.full(9, info.min), np.arange(9) + 100, np.array([0] * 8 + [info.max])]
    x = np.stack(rows).astype(in_dtype)
    in_q = (0.05, 4) if in_dtype == "int8" else (1e-3, 0)
    model = single_op_model("SOFTMAX", x.shape, in_dtype, in_dtype, in_q, SOFTMAX_OUTPUTS[in_dtype], beta=1.0)
    assert_same_on(model, x)


@pytest.mark.parametrize("in_q,beta", [((10 / 65535, 0), 1.0), ((3e-4, 0), 1.0), ((1e-4, 0), 0.7), ((2e-3, 0), 1.3)],
                         ids=["table-scale", "3e-4", "1e-4-beta0.7", "2e-3-beta1.3"])
def test_softmax_int16_every_difference(in_q, beta):
    """Rows (max, max - k, max - k/3) for every k walk both lookup tables end to end."""
    k = np.arange(65536)
    x = np.stack([np.full(k.size, 32767), 32767 - k, 32767 - k // 3], axis=1).astype(np.int16)
    model = single_op_model("SOFTMAX", x.shape, "int16", "int16", in_q, SOFTMAX_OUTPUTS["int16"], beta=beta)
    assert_same_on(model, x)


@pytest.mark.parametrize("out_dtype", ["int8", "int16"])
@pytest.mark.parametrize("in_q,beta", [((0.1, 0), 1.0), ((0.02, -30), 2.0), ((0.5, 100), 0.25)],
                         ids=["0.1", "0.02-beta2", "0.5-beta0.25"])
def test_softmax_int8_every_difference(out_dtype, in_q, beta):
    k = np.arange(256)
    x = np.stack([np.full(k.size, 127), 127 - k, 127 - k // 2, 127 - k // 5], axis=1).astype(np.int8)
    out_q = SOFTMAX_OUTPUTS["int8"] if out_dtype == "int8" else (1 / 65536, -32768)
    model = single_op_model("SOFTMAX", x.shape, "int8", out_dtype, in_q, out_q, beta=beta)
    assert_same_on(model, x)


def test_softmax_int8_refuses_a_sum_tflm_aborts_on():
    """512 or more values at the row maximum sum to 2**28, where TFLM's int8 kernel aborts the
    process (TFLITE_CHECK); the reference refuses instead of inventing an output."""
    x = np.full((1, 601), 5, dtype=np.int8)
    model = single_op_model("SOFTMAX", x.shape, "int8", "int8", (0.01, 0), SOFTMAX_OUTPUTS["int8"], beta=1.0)
    with pytest.raises(ArithmeticError, match="TFLITE_CHECK"):
        run_reference(model, [[x]])


def test_softmax_float_wide_inputs():
    x = np.random.default_rng(11).uniform(-60, 60, (9, 31)).astype(np.float32)
    x[0] = 0.0
    x[1, ::2] = -0.0
    model = single_op_model("SOFTMAX", x.shape, "float32", beta=0.8)
    assert_same_on(model, x, max_ulp=LIBM_ULP["SOFTMAX"])


# LOGISTIC and TANH ------------------------------------------------------------------------------
INT8_OUTPUTS = {"LOGISTIC": (1 / 256, -128), "TANH": (1 / 128, 0)}
# int16 input scales: powers of two (TFLM's shift-only path for 2**-12, and 2**-11 for TANH),
# other powers of two and arbitrary scales (TFLM's multiplier path).
INT16_SCALES = [2.0 ** -12, 2.0 ** -11, 2.0 ** -10, 2.0 ** -14, 3.1e-5, 1.7e-4, 4.4e-4, 2.3e-3, 1.1e-2, 1e-6]


@pytest.mark.parametrize("kind", ["LOGISTIC", "TANH"])
@pytest.mark.parametrize("draw", range(6), ids=lambda d: f"draw{d}")
def test_logistic_tanh_int8(request, kind, draw):
    rng = case_rng(request.node.name)
    in_q = (log_uniform(rng, 1e-3, 0.5), random_zero_point(rng, "int8"))
    model = single_op_model(kind, (4, 9, 37), "int8", "int8", in_q, INT8_OUTPUTS[kind])
    assert_matches_tflm(model, seed=draw, invocations=2)


@pytest.mark.parametrize("kind", ["LOGISTIC", "TANH"])
@pytest.mark.parametrize("in_q", [(1 / 16, 0), (0.02, -128), (0.25, 127), (1.0, 3), (3e-4, -20)],
                         ids=lambda q: f"scale{q[0]:.3g}-zp{q[1]}")
def test_logistic_tanh_int8_every_value(kind, in_q):
    x = every_value("int8")
    model = single_op_model(kind, x.shape, "int8", "int8", in_q, INT8_OUTPUTS[kind])
    assert_same_on(model, x)


@pytest.mark.parametrize("kind,out_q", [("TANH", (0.01, 17)), ("LOGISTIC", (0.01, -128))], ids=["tanh", "logistic"])
def test_int8_output_scale_is_ignored_like_tflm(kind, out_q):
    """TFLM's int8 kernels assume 1/128 (TANH) and 1/256 (LOGISTIC) whatever the output says."""
    x = every_value("int8")
    assert_same_on(single_op_model(kind, x.shape, "int8", "int8", (0.03, 2), out_q), x)


@pytest.mark.parametrize("kind", ["LOGISTIC", "TANH"])
@pytest.mark.parametrize("scale", INT16_SCALES, ids=lambda s: f"scale{s:.3g}")
def test_logistic_tanh_int16_every_value(kind, scale):
    x = every_value("int16")
    model = single_op_model(kind, x.shape, "int16", "int16", (scale, 0), (2.0 ** -15, 0))
    assert_same_on(model, x)


@pytest.mark.parametrize("kind", ["LOGISTIC", "TANH"])
@pytest.mark.parametrize("shape", ODD_SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_logistic_tanh_int16_random_scale(request, kind, shape):
    scale = log_uniform(case_rng(request.node.name), 1e-5, 5e-3)
    model = single_op_model(kind, shape, "int16", "int16", (scale, 0), (2.0 ** -15, 0))
    assert_matches_tflm(model, seed=5, invocations=2)


@pytest.mark.parametrize("kind", ["LOGISTIC", "TANH"])
@pytest.mark.parametrize("shape", ODD_SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_logistic_tanh_float(kind, shape):
    model = single_op_model(kind, shape, "float32")
    assert_matches_tflm(model, seed=2, invocations=3, max_ulp=LIBM_ULP[kind])


@pytest.mark.parametrize("kind", ["LOGISTIC", "TANH"])
def test_logistic_tanh_float_wide_inputs(kind):
    """Covers LOGISTIC's cut-offs (x > 16.62 gives 1, x < -9 uses exp(x)) and tanh's saturation."""
    x = np.concatenate([np.random.default_rng(4).uniform(-120, 120, 3000),
                        [0.0, -0.0, 16.619047164916992, 16.62, -9.0, -9.000001, 88.0, -88.0, -104.0]])
    x = x.astype(np.float32)
    assert_same_on(single_op_model(kind, x.shape, "float32"), x, max_ulp=LIBM_ULP[kind])


# RELU, RELU6, LEAKY_RELU ------------------------------------------------------------------------
def elementwise_quantization(rng, kind: str, dtype: str):
    """Random input/output quantisation; int16 RELU needs zero points 0, RELU6 keeps the input's."""
    in_scale = log_uniform(rng, 1e-3, 0.2) if dtype == "int8" else log_uniform(rng, 1e-5, 2e-3)
    out_scale = in_scale * log_uniform(rng, 0.3, 3.0)
    in_zp, out_zp = random_zero_point(rng, dtype), random_zero_point(rng, dtype)
    if kind == "RELU" and dtype == "int16":
        in_zp = out_zp = 0
    if kind == "RELU6":
        return (in_scale, in_zp), (in_scale, in_zp)
    return (in_scale, in_zp), (out_scale, out_zp)


@pytest.mark.parametrize("kind", ["RELU", "RELU6", "LEAKY_RELU"])
@pytest.mark.parametrize("dtype", ["int8", "int16"])
@pytest.mark.parametrize("draw", range(4), ids=lambda d: f"draw{d}")
def test_relu_family_quantized(request, kind, dtype, draw):
    rng = case_rng(request.node.name)
    in_q, out_q = elementwise_quantization(rng, kind, dtype)
    attrs = {"alpha": float(rng.choice([0.01, 0.2, 0.3, 1.7, -0.4]))} if kind == "LEAKY_RELU" else {}
    shape = ODD_SHAPES[draw % len(ODD_SHAPES)]
    model = single_op_model(kind, shape, dtype, dtype, in_q, out_q, **attrs)
    assert_matches_tflm(model, seed=draw, invocations=3)


@pytest.mark.parametrize("kind,attrs", [("RELU", {}), ("RELU6", {}), ("LEAKY_RELU", {"alpha": 0.3}),
                                        ("LEAKY_RELU", {"alpha": -1.25}), ("LEAKY_RELU", {"alpha": 2.0})],
                         ids=["relu", "relu6", "leaky0.3", "leaky-1.25", "leaky2.0"])
@pytest.mark.parametrize("dtype", ["int8", "int16"])
@pytest.mark.parametrize("draw", range(3), ids=lambda d: f"draw{d}")
def test_relu_family_every_value(request, kind, attrs, dtype, draw):
    """Every input value: a multiplier one unit off in its last bits shows up somewhere here."""
    in_q, out_q = elementwise_quantization(case_rng(request.node.name), kind, dtype)
    x = every_value(dtype)
    assert_same_on(single_op_model(kind, x.shape, dtype, dtype, in_q, out_q, **attrs), x)


def test_relu6_output_quantization_is_ignored_like_tflm():
    x = every_value("int8")
    assert_same_on(single_op_model("RELU6", x.shape, "int8", "int8", (0.03, -7), (0.1, 40)), x)


@pytest.mark.parametrize("kind,attrs", [("RELU", {}), ("RELU6", {}), ("LEAKY_RELU", {"alpha": 0.2}),
                                        ("LEAKY_RELU", {"alpha": -0.7})],
                         ids=["relu", "relu6", "leaky0.2", "leaky-0.7"])
def test_relu_family_float(kind, attrs):
    x = np.random.default_rng(9).uniform(-10, 10, (5, 41)).astype(np.float32)
    x[0, :4] = [0.0, -0.0, 6.0, 6.0000005]
    assert_same_on(single_op_model(kind, x.shape, "float32", **attrs), x)


def test_seanet_leaky_relu_int16_quantization():
    """int16 LEAKY_RELU as the SEANet models quantise it: zero points 0, alpha 0.3."""
    x = every_value("int16")
    model = single_op_model("LEAKY_RELU", x.shape, "int16", "int16", (0.0142143, 0), (0.00595885, 0), alpha=0.3)
    assert_same_on(model, x)


# HARD_SWISH -------------------------------------------------------------------------------------
@pytest.mark.parametrize("draw", range(8), ids=lambda d: f"draw{d}")
def test_hard_swish_int8(request, draw):
    rng = case_rng(request.node.name)
    in_scale = log_uniform(rng, 3e-3, 0.3)
    out_scale = in_scale * log_uniform(rng, 0.1, 4.0)
    in_q = (in_scale, random_zero_point(rng, "int8"))
    out_q = (out_scale, random_zero_point(rng, "int8"))
    model = single_op_model("HARD_SWISH", ODD_SHAPES[draw % len(ODD_SHAPES)], "int8", "int8", in_q, out_q)
    assert_matches_tflm(model, seed=draw, invocations=3)


@pytest.mark.parametrize("in_q,out_q", [
    ((0.05, 0), (0.05, 0)), ((0.5, -100), (0.02, -128)), ((0.002, 30), (0.004, -5)),
    ((1e-4, 0), (0.02, 0)),    # relu-ish multiplier shifts right by 15 or more
    ((0.01, 0), (0.5, 127)),   # output multiplier shifts right by 13
    ((2.0, 10), (0.02, -128)),  # relu-ish multiplier shifts left
], ids=["same", "saturating", "small-scales", "tiny-input-scale", "coarse-output", "large-input-scale"])
def test_hard_swish_int8_every_value(in_q, out_q):
    x = every_value("int8")
    assert_same_on(single_op_model("HARD_SWISH", x.shape, "int8", "int8", in_q, out_q), x)


def test_hard_swish_float():
    x = np.concatenate([np.random.default_rng(6).uniform(-8, 8, 500), [-3.0, 3.0, -0.0, 0.0, -2.9999998]])
    x = x.astype(np.float32)
    assert_same_on(single_op_model("HARD_SWISH", x.shape, "float32"), x)


# What TFLM rejects ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,in_dtype,out_dtype,in_q,out_q,attrs", [
    ("SOFTMAX", "int8", "int8", (0.1, 0), (1 / 256, 0), {"beta": 1.0}),
    ("SOFTMAX", "int8", "int8", (0.1, 0), (1 / 255, -128), {"beta": 1.0}),
    ("SOFTMAX", "int16", "int16", (1e-3, 5), (1 / 32768, 0), {"beta": 1.0}),
    ("SOFTMAX", "int16", "int16", (1e-3, 0), (1 / 30000, 0), {"beta": 1.0}),
    ("SOFTMAX", "int16", "int8", (1e-3, 0), (1 / 256, -128), {"beta": 1.0}),
    ("LOGISTIC", "int8", "int8", (0.1, 0), (1 / 256, 0), {}),
    ("LOGISTIC", "int16", "int16", (1e-3, 0), (1 / 30000, 0), {}),
    ("TANH", "int16", "int16", (1e-3, 4), (2.0 ** -15, 0), {}),
    ("RELU", "int16", "int16", (1e-3, 3), (1e-3, 0), {}),
    ("HARD_SWISH", "int8", "int8", (0.5, 0), (1e-3, 0), {}),
    ("HARD_SWISH", "int16", "int16", (1e-3, 0), (1e-3, 0), {}),
    ("LOGISTIC", "uint8", "uint8", (0.1, 128), (1 / 256, 0), {}),
], ids=["softmax-int8-zp", "softmax-int8-scale", "softmax-int16-input-zp", "softmax-int16-scale",
        "softmax-int16-to-int8", "logistic-int8-zp", "logistic-int16-scale", "tanh-int16-zp", "relu-int16-zp",
        "hard-swish-output-shift", "hard-swish-int16", "logistic-uint8"])
def test_rejects_what_tflm_rejects(kind, in_dtype, out_dtype, in_q, out_q, attrs):
    model = single_op_model(kind, (2, 5), in_dtype, out_dtype, in_q, out_q, **attrs)
    with pytest.raises(UnsupportedModelError, match=rf"^{kind} #0: "):
        Executor(read_model(model))
    with pytest.raises(RuntimeError):
        run_tflm(model, [[np.zeros((2, 5), in_dtype)]], n_outputs=1)
