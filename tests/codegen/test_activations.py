"""SOFTMAX, LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU and HARD_SWISH in C on the host (ASan + UBSan):
every model of the reference sweep tests, built into a few executables, byte-identical with the
Python reference and with TFLM (float SOFTMAX, LOGISTIC and TANH call libm: within 2 ULP).

The random-input sweeps go through assert_host_matches; the tests that feed every input value
(or every row-maximum difference) are run on those same explicit inputs here. The cases are
rebuilt with the sweep tests' own builders and test names, so each draws the same parameters.
Left out: the models TFLM and the reference refuse (nothing to compile) and the int8 SOFTMAX row
TFLM aborts on, which has its own C-only test below.
"""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.codegen.model_source import generate_model
from mcucompile.engines.host import run_host_batch
from mcucompile.errors import UnsupportedModelError
from mcucompile.passes import run_passes
from mcucompile.planning.plan import plan_memory
from mcucompile.reader import read_model
from tests.kernels.test_activations import (
    INT8_OUTPUTS,
    INT16_SCALES,
    LIBM_ULP,
    ODD_SHAPES,
    SOFTMAX_OUTPUTS,
    case_rng,
    elementwise_quantization,
    every_value,
    log_uniform,
    random_zero_point,
    single_op_model,
    softmax_quantization,
)
from tests.support.compare import run_optimised
from tests.support.host import assert_host_matches, assert_host_matches_on

KINDS = ("LOGISTIC", "TANH")
SOFTMAX_TYPES = [("int8", "int8"), ("int8", "int16"), ("int16", "int16"), ("float32", "float32")]
RELU_FAMILY = [("relu", "RELU", {}), ("relu6", "RELU6", {}), ("leaky0.3", "LEAKY_RELU", {"alpha": 0.3}),
               ("leaky-1.25", "LEAKY_RELU", {"alpha": -1.25}), ("leaky2.0", "LEAKY_RELU", {"alpha": 2.0})]


def _shape_id(shape) -> str:
    return "x".join(map(str, shape))


def _c_name(test_name: str) -> str:
    return test_name.replace("[", "_").replace("]", "").replace("-", "_").replace(".", "p")


# Random-input sweeps ------------------------------------------------------------------------------
def _softmax_cases():
    for types in SOFTMAX_TYPES:
        for beta in (1.0, 0.37, 2.5):
            for shape in ODD_SHAPES + [(2, 301)]:
                name = f"test_softmax[{types[0]}-{types[1]}-beta{beta}-{_shape_id(shape)}]"
                in_q, out_q = softmax_quantization(case_rng(name), *types)
                model = single_op_model("SOFTMAX", shape, types[0], types[1], in_q, out_q, beta=beta)
                yield name, model, LIBM_ULP["SOFTMAX"] if types[0] == "float32" else 0
    for case_id, types, in_q, beta in [
            ("int8-capped-multiplier", ("int8", "int8"), (0.9, 5), 100.0),
            ("int8-int16-capped", ("int8", "int16"), (0.5, -3), 50.0),
            ("int8-tiny-scale", ("int8", "int8"), (1e-6, 0), 1.0),
            ("int16-left-shift", ("int16", "int16"), (0.05, 0), 3.0),
            ("int16-tiny-scale", ("int16", "int16"), (1e-6, 0), 0.5)]:
        out_q = SOFTMAX_OUTPUTS["int8"] if types[1] == "int8" else (
            (1 / 65536, -32768) if types[0] == "int8" else SOFTMAX_OUTPUTS["int16"])
        yield (f"test_softmax_extreme_scales[{case_id}]",
               single_op_model("SOFTMAX", (3, 17), *types, in_q, out_q, beta=beta), 0)


def _elementwise_cases():
    for draw in range(6):
        for kind in KINDS:
            name = f"test_logistic_tanh_int8[draw{draw}-{kind}]"
            rng = case_rng(name)
            in_q = (log_uniform(rng, 1e-3, 0.5), random_zero_point(rng, "int8"))
            yield name, single_op_model(kind, (4, 9, 37), "int8", "int8", in_q, INT8_OUTPUTS[kind]), 0
    for shape in ODD_SHAPES:
        for kind in KINDS:
            name = f"test_logistic_tanh_int16_random_scale[{_shape_id(shape)}-{kind}]"
            scale = log_uniform(case_rng(name), 1e-5, 5e-3)
            yield name, single_op_model(kind, shape, "int16", "int16", (scale, 0), (2.0 ** -15, 0)), 0
            yield (f"test_logistic_tanh_float[{_shape_id(shape)}-{kind}]", single_op_model(kind, shape, "float32"),
                   LIBM_ULP[kind])
    for draw in range(4):
        for dtype in ("int8", "int16"):
            for kind in ("RELU", "RELU6", "LEAKY_RELU"):
                name = f"test_relu_family_quantized[draw{draw}-{dtype}-{kind}]"
                rng = case_rng(name)
                in_q, out_q = elementwise_quantization(rng, kind, dtype)
                attrs = {"alpha": float(rng.choice([0.01, 0.2, 0.3, 1.7, -0.4]))} if kind == "LEAKY_RELU" else {}
                yield name, single_op_model(kind, ODD_SHAPES[draw % len(ODD_SHAPES)], dtype, dtype, in_q, out_q,
                                            **attrs), 0
    for draw in range(8):
        name = f"test_hard_swish_int8[draw{draw}]"
        rng = case_rng(name)
        in_scale = log_uniform(rng, 3e-3, 0.3)
        out_scale = in_scale * log_uniform(rng, 0.1, 4.0)
        in_q = (in_scale, random_zero_point(rng, "int8"))
        out_q = (out_scale, random_zero_point(rng, "int8"))
        yield name, single_op_model("HARD_SWISH", ODD_SHAPES[draw % len(ODD_SHAPES)], "int8", "int8", in_q, out_q), 0


def _assert_sweep_on_host(sweep) -> int:
    """(test name, model, max ULP) cases through assert_host_matches; returns the number of models."""
    cases = [(_c_name(name), model) for name, model, _ in sweep]
    max_ulp = {_c_name(name): ulp for name, _, ulp in sweep if ulp}
    assert assert_host_matches(cases, max_ulp=max_ulp) == len(cases) * 2
    return len(cases)


def test_softmax_sweep_on_host():
    assert _assert_sweep_on_host(list(_softmax_cases())) == 65


def test_elementwise_sweep_on_host():
    assert _assert_sweep_on_host(list(_elementwise_cases())) == 60


# Explicit inputs: every value, every difference ----------------------------------------------------
def _int16_every_value_cases():
    x16 = every_value("int16")
    for scale in INT16_SCALES:
        for kind in KINDS:
            yield (f"logistic_tanh_int16_every_value[scale{scale:.3g}-{kind}]",
                   single_op_model(kind, x16.shape, "int16", "int16", (scale, 0), (2.0 ** -15, 0)), x16, 0)
    for draw in range(3):
        for case_id, kind, attrs in RELU_FAMILY:
            name = f"test_relu_family_every_value[draw{draw}-int16-{case_id}]"
            in_q, out_q = elementwise_quantization(case_rng(name), kind, "int16")
            yield name, single_op_model(kind, x16.shape, "int16", "int16", in_q, out_q, **attrs), x16, 0
    yield ("seanet_leaky_relu_int16", single_op_model("LEAKY_RELU", x16.shape, "int16", "int16", (0.0142143, 0),
                                                      (0.00595885, 0), alpha=0.3), x16, 0)
    k = np.arange(65536)
    differences = np.stack([np.full(k.size, 32767), 32767 - k, 32767 - k // 3], axis=1).astype(np.int16)
    for case_id, in_q, beta in [("table-scale", (10 / 65535, 0), 1.0), ("3e-4", (3e-4, 0), 1.0),
                                ("1e-4-beta0.7", (1e-4, 0), 0.7), ("2e-3-beta1.3", (2e-3, 0), 1.3)]:
        yield (f"softmax_int16_every_difference[{case_id}]",
               single_op_model("SOFTMAX", differences.shape, "int16", "int16", in_q, SOFTMAX_OUTPUTS["int16"],
                               beta=beta), differences, 0)
    yield ("softmax_rows_near_the_maximum[int16]",) + _rows_near_the_maximum("int16")


def _rows_near_the_maximum(dtype: str):
    info = np.iinfo(dtype)
    rows = [np.full(9, info.max), np.full(9, info.min), np.arange(9) + 100, np.array([0] * 8 + [info.max])]
    x = np.stack(rows).astype(dtype)
    in_q = (0.05, 4) if dtype == "int8" else (1e-3, 0)
    return single_op_model("SOFTMAX", x.shape, dtype, dtype, in_q, SOFTMAX_OUTPUTS[dtype], beta=1.0), x, 0


def _int8_and_float_every_value_cases():
    x8 = every_value("int8")
    for in_q in [(1 / 16, 0), (0.02, -128), (0.25, 127), (1.0, 3), (3e-4, -20)]:
        for kind in KINDS:
            yield (f"logistic_tanh_int8_every_value[scale{in_q[0]:.3g}-zp{in_q[1]}-{kind}]",
                   single_op_model(kind, x8.shape, "int8", "int8", in_q, INT8_OUTPUTS[kind]), x8, 0)
    for kind, out_q in [("TANH", (0.01, 17)), ("LOGISTIC", (0.01, -128))]:
        yield f"int8_output_scale_is_ignored[{kind}]", single_op_model(kind, x8.shape, "int8", "int8", (0.03, 2),
                                                                       out_q), x8, 0
    for draw in range(3):
        for case_id, kind, attrs in RELU_FAMILY:
            name = f"test_relu_family_every_value[draw{draw}-int8-{case_id}]"
            in_q, out_q = elementwise_quantization(case_rng(name), kind, "int8")
            yield name, single_op_model(kind, x8.shape, "int8", "int8", in_q, out_q, **attrs), x8, 0
    yield "relu6_output_quantization_is_ignored", single_op_model("RELU6", x8.shape, "int8", "int8", (0.03, -7),
                                                                  (0.1, 40)), x8, 0
    for case_id, in_q, out_q in [
            ("same", (0.05, 0), (0.05, 0)), ("saturating", (0.5, -100), (0.02, -128)),
            ("small-scales", (0.002, 30), (0.004, -5)), ("tiny-input-scale", (1e-4, 0), (0.02, 0)),
            ("coarse-output", (0.01, 0), (0.5, 127)), ("large-input-scale", (2.0, 10), (0.02, -128))]:
        yield (f"hard_swish_int8_every_value[{case_id}]",
               single_op_model("HARD_SWISH", x8.shape, "int8", "int8", in_q, out_q), x8, 0)
    k = np.arange(256)
    differences = np.stack([np.full(k.size, 127), 127 - k, 127 - k // 2, 127 - k // 5], axis=1).astype(np.int8)
    for case_id, in_q, beta in [("0.1", (0.1, 0), 1.0), ("0.02-beta2", (0.02, -30), 2.0),
                                ("0.5-beta0.25", (0.5, 100), 0.25)]:
        for out_dtype in ("int8", "int16"):
            out_q = SOFTMAX_OUTPUTS["int8"] if out_dtype == "int8" else (1 / 65536, -32768)
            yield (f"softmax_int8_every_difference[{case_id}-{out_dtype}]",
                   single_op_model("SOFTMAX", differences.shape, "int8", out_dtype, in_q, out_q, beta=beta),
                   differences, 0)
    yield ("softmax_rows_near_the_maximum[int8]",) + _rows_near_the_maximum("int8")
    yield from _float_cases()


def _float_cases():
    x = np.random.default_rng(9).uniform(-10, 10, (5, 41)).astype(np.float32)
    x[0, :4] = [0.0, -0.0, 6.0, 6.0000005]
    for case_id, kind, attrs in [("relu", "RELU", {}), ("relu6", "RELU6", {}),
                                 ("leaky0.2", "LEAKY_RELU", {"alpha": 0.2}), ("leaky-0.7", "LEAKY_RELU", {"alpha": -0.7})]:
        yield f"relu_family_float[{case_id}]", single_op_model(kind, x.shape, "float32", **attrs), x, 0
    swish = np.concatenate([np.random.default_rng(6).uniform(-8, 8, 500), [-3.0, 3.0, -0.0, 0.0, -2.9999998]])
    swish = swish.astype(np.float32)
    yield "hard_swish_float", single_op_model("HARD_SWISH", swish.shape, "float32"), swish, 0
    wide = np.random.default_rng(11).uniform(-60, 60, (9, 31)).astype(np.float32)
    wide[0] = 0.0
    wide[1, ::2] = -0.0
    yield "softmax_float_wide_inputs", single_op_model("SOFTMAX", wide.shape, "float32", beta=0.8), wide, \
        LIBM_ULP["SOFTMAX"]
    cut_offs = np.concatenate([np.random.default_rng(4).uniform(-120, 120, 3000),
                               [0.0, -0.0, 16.619047164916992, 16.62, -9.0, -9.000001, 88.0, -88.0, -104.0]])
    cut_offs = cut_offs.astype(np.float32)
    for kind in KINDS:
        yield f"logistic_tanh_float_wide_inputs[{kind}]", single_op_model(kind, cut_offs.shape, "float32"), \
            cut_offs, LIBM_ULP[kind]


def test_int16_every_value_on_host():
    cases = list(_int16_every_value_cases())
    assert len(cases) == 41
    assert assert_host_matches_on([(_c_name(name), model, [[x]]) for name, model, x, _ in cases],
                                  max_ulp={_c_name(name): ulp for name, _, _, ulp in cases if ulp}) == len(cases)


def test_int8_and_float_every_value_on_host():
    cases = list(_int8_and_float_every_value_cases())
    assert len(cases) == 49
    assert assert_host_matches_on([(_c_name(name), model, [[x]]) for name, model, x, _ in cases],
                                  max_ulp={_c_name(name): ulp for name, _, _, ulp in cases if ulp}) == len(cases)


# Where TFLM gives no answer -----------------------------------------------------------------------
def test_softmax_int8_row_tflm_aborts_on_is_all_zero_probability():
    """601 values at the row maximum sum to 2**28 or more: TFLM aborts and the reference raises;
    the C kernel writes the output minimum (probability 0) for that row, the others as usual."""
    x = np.full((2, 601), 5, dtype=np.int8)
    x[1] = np.arange(601) % 256 - 128
    model = single_op_model("SOFTMAX", x.shape, "int8", "int8", (0.01, 0), SOFTMAX_OUTPUTS["int8"], beta=1.0)
    ours = run_host_batch([("aborting_row", run_passes(read_model(model)), [[x]])], sanitize=True)[0][0][0]
    assert (ours[0] == -128).all()
    expected = run_optimised(single_op_model("SOFTMAX", (1, 601), "int8", "int8", (0.01, 0),
                                             SOFTMAX_OUTPUTS["int8"], beta=1.0), [[x[1:]]])[0][0]
    assert ours[1:].tobytes() == expected.tobytes()


def test_int16_softmax_rows_whose_sum_can_overflow_are_refused():
    model = run_passes(read_model(single_op_model("SOFTMAX", (1, 65539), "int16", "int16", (1e-3, 0),
                                                  SOFTMAX_OUTPUTS["int16"], beta=1.0)))
    with pytest.raises(UnsupportedModelError, match=r"^SOFTMAX #0: int16 rows of 65539 values"):
        generate_model(model, plan_memory(model), "refused", "refused")
