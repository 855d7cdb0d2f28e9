"""ADD, SUB, MUL, MAXIMUM, MINIMUM in C on the host (ASan + UBSan): every sweep model of the
reference tests (tests/kernels/test_binary.py, rebuilt here with the same case seeds), built a
batch at a time into one executable, byte-identical with the Python reference and with TFLM.
The C backend refuses none of them. One build per test function (at most ~170 models), so
pytest-xdist runs them in parallel."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.codegen.model_source import generate_model
from mcucompile.errors import UnsupportedModelError
from mcucompile.passes import run_passes
from mcucompile.planning.plan import plan_memory
from mcucompile.reader import read_model
from tests.kernels.test_binary import (
    ACTIVATIONS,
    ARITHMETIC,
    INT8_PAIR_CASES,
    MUL_WRAP_QUANTIZATION,
    SHAPES,
    SPECIAL,
    binary_model,
    case_rng,
    quantization_for,
    random_quantization,
)
from tests.support.host import assert_host_matches, assert_host_matches_on

DTYPES = ("int8", "int16", "float32", "int32")


def arithmetic_shape_cases() -> list[tuple[str, bytes]]:
    cases = []
    for kind in ARITHMETIC:
        for dtype in DTYPES:
            for shape_id, shape1, shape2 in SHAPES:
                quantization = quantization_for(dtype, case_rng(kind, dtype, shape_id))
                cases.append((f"{kind}_{dtype}_{shape_id}", binary_model(kind, dtype, shape1, shape2,
                                                                         quantization=quantization)))
    return cases


def fused_activation_cases() -> list[tuple[str, bytes]]:
    return [(f"{kind}_{dtype}_{activation}_{'broadcast' if broadcast else 'same'}",
             binary_model(kind, dtype, (3, 5, 6), (6,) if broadcast else (3, 5, 6), activation,
                          quantization_for(dtype, case_rng(kind, dtype, activation, broadcast))))
            for kind in ARITHMETIC for dtype in DTYPES for activation in ACTIVATIONS for broadcast in (False, True)]


def constant_operand_cases() -> list[tuple[str, bytes]]:
    cases = []
    for kind in ARITHMETIC:
        for dtype in DTYPES:
            for constant in (0, 1):
                for shape_id, shape1, shape2 in (("same", (2, 4, 6), (2, 4, 6)), ("vector", (2, 4, 6), (6,)),
                                                 ("scalar", (1,), (2, 4, 6))):
                    rng = case_rng(kind, dtype, constant, shape1, shape2)
                    cases.append((f"{kind}_{dtype}_const{constant + 1}_{shape_id}",
                                  binary_model(kind, dtype, shape1, shape2, "RELU", quantization_for(dtype, rng),
                                               constant=constant, constant_rng=rng)))
    return cases


def scale_cases() -> list[tuple[str, bytes]]:
    cases = []
    for kind in ARITHMETIC:
        for dtype in ("int8", "int16"):
            for ratio in (1.0, 30.0, 3000.0):
                for seed in range(8):
                    quantization = random_quantization(dtype, case_rng(kind, dtype, ratio, seed), ratio=ratio)
                    if ratio == 1.0:
                        quantization[1] = (quantization[0][0], quantization[1][1])
                    cases.append((f"{kind}_{dtype}_ratio{int(ratio)}_{seed}",
                                  binary_model(kind, dtype, (16, 64), (16, 64), quantization=quantization)))
    for dtype in ("int8", "int16"):
        for output_scale in (1e-9, 1e-6, 1e-4, 0.5, 50.0):
            quantization = random_quantization(dtype, case_rng("MUL", dtype, output_scale))
            quantization[2] = (output_scale, quantization[2][1])
            cases.append((f"MUL_{dtype}_output_scale_{output_scale:g}",
                          binary_model("MUL", dtype, (4, 33), (33,), "RELU", quantization)))
    for kind in ("ADD", "SUB"):
        for broadcast in (False, True):
            quantization = random_quantization("int16", case_rng(kind, "int16-zp", broadcast), int16_zero_points=True)
            cases.append((f"{kind}_int16_zero_points_{'broadcast' if broadcast else 'same'}",
                          binary_model(kind, "int16", (5, 40), (40,) if broadcast else (5, 40), "RELU", quantization)))
    return cases


def maximum_minimum_cases() -> list[tuple[str, bytes]]:
    cases = []
    for kind in ("MAXIMUM", "MINIMUM"):
        for dtype in ("float32", "int8", "int16", "int32", "int64"):
            for shape_id, shape1, shape2 in (SHAPES[i] for i in (0, 3, 5, 8, 13)):
                quantization = [(0.05, 3)] * 3 if dtype in ("int8", "int16") else None
                cases.append((f"{kind}_{dtype}_{shape_id}", binary_model(kind, dtype, shape1, shape2,
                                                                          quantization=quantization)))
        cases.append((f"{kind}_int8_const", binary_model(kind, "int8", (3, 10), (10,), quantization=[(0.1, -4)] * 3,
                                                         constant=1, constant_rng=case_rng(kind, "const"))))
    return cases


def chosen_input_cases() -> list[tuple[str, bytes, list[np.ndarray]]]:
    """The reference tests' chosen inputs: all int8 pairs, and float32 specials (NaN, infinities,
    signed zeros, values beyond the clamps) against each other."""
    cases = []
    values = np.arange(-128, 128, dtype=np.int8)
    pairs = [np.repeat(values, 256).reshape(256, 256), np.tile(values, 256).reshape(256, 256)]
    for kind, activation, ratio in INT8_PAIR_CASES:
        if ratio == "wrap":
            quantization = MUL_WRAP_QUANTIZATION
        else:
            quantization = random_quantization("int8", case_rng(kind, activation, ratio), ratio=ratio)
        cases.append((f"{kind}_int8_pairs_{activation}_{ratio}",
                      binary_model(kind, "int8", (256, 256), (256, 256), activation, quantization), pairs))
    n = len(SPECIAL)
    specials = [np.repeat(SPECIAL, n), np.tile(SPECIAL, n)]
    for kind in ("ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM"):
        for activation in ("NONE", "RELU", "RELU6"):
            cases.append((f"{kind}_float32_special_{activation}",
                          binary_model(kind, "float32", (n * n,), (n * n,), activation), specials))
    return cases


@pytest.mark.parametrize("builder", [arithmetic_shape_cases, fused_activation_cases])
def test_binary_sweep_on_host(builder):
    cases = builder()
    assert assert_host_matches(cases) == len(cases) * 2


def test_constant_operand_and_maximum_minimum_on_host():
    cases = constant_operand_cases() + maximum_minimum_cases()
    assert assert_host_matches(cases) == len(cases) * 2


def test_scales_on_host():
    cases = scale_cases()
    assert assert_host_matches(cases) == len(cases) * 2


def test_chosen_inputs_on_host():
    cases = chosen_input_cases()
    assert assert_host_matches_on([(name, data, [inputs]) for name, data, inputs in cases]) == len(cases)


def generation_error(model: bytes) -> str:
    graph = run_passes(read_model(model))
    with pytest.raises(UnsupportedModelError) as error:
        generate_model(graph, plan_memory(graph), "refused", "refused")
    return str(error.value)


def test_zero_point_outside_the_type_range_refused():
    """(x - zero point) << 20 would overflow int32 (the Python reference computes it in int64)."""
    model = binary_model("ADD", "int8", (4,), (4,), quantization=[(0.1, 0), (0.1, 300), (0.1, 0)])
    assert "zero point 300 lies outside the int8 range" in generation_error(model)


def test_mul_rescale_of_2_pow_31_or_more_refused():
    """A left shift by 32 or more has no defined C meaning."""
    model = binary_model("MUL", "int8", (4,), (4,), quantization=[(1.0, 0), (1.0, 0), (2.0 ** -40, 0)])
    assert "2**31 or more" in generation_error(model)
