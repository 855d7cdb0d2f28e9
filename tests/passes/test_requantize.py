"""cancel-requantize removes only chains that provably return every value unchanged."""
from __future__ import annotations

import numpy as np

from mcucompile.executor import Executor
from mcucompile.passes.dead_code import remove_dead_operators
from mcucompile.passes.requantize import cancel_requantize
from mcucompile.reader import read_model
from tests.support.compare import assert_matches_tflm
from tests.support.modelbuilder import ModelBuilder


def _round_trip(middle_dtype: str, middle_scale: float, out_scale: float = 0.05, out_zp: int = 3) -> bytes:
    """int8 x -> (DE)QUANTIZE -> middle -> QUANTIZE -> int8 -> MAXIMUM with x -> y."""
    b = ModelBuilder()
    x = b.tensor([1, 5, 7], "int8", scale=0.05, zero_point=3)
    mid = b.tensor([1, 5, 7], middle_dtype, **({} if middle_dtype == "float32" else
                                               {"scale": middle_scale, "zero_point": 0}))
    back = b.tensor([1, 5, 7], "int8", scale=out_scale, zero_point=out_zp)
    y = b.tensor([1, 5, 7], "int8", scale=0.05, zero_point=3)
    b.op("DEQUANTIZE" if middle_dtype == "float32" else "QUANTIZE", [x], [mid])
    b.op("QUANTIZE", [mid], [back])
    b.op("MAXIMUM", [back, x], [y])
    b.io([x], [y])
    return b.build()


def _kinds(model):
    return [op.kind for op in model.main.operators]


def test_dequantize_quantize_round_trip_is_removed():
    data = _round_trip("float32", 0.0)
    model = remove_dead_operators(cancel_requantize(read_model(data)))
    assert _kinds(model) == ["MAXIMUM"]
    x = [np.arange(-128, 127, 7, dtype=np.int8)[:35].reshape(1, 5, 7)]
    assert Executor(model).invoke(x)[0].tobytes() == Executor(read_model(data)).invoke(x)[0].tobytes()
    assert_matches_tflm(data)


def test_widening_requantisation_round_trip_is_removed():
    data = _round_trip("int16", 0.05 / 128)  # int8 values * 128 all fit in int16
    assert _kinds(remove_dead_operators(cancel_requantize(read_model(data)))) == ["MAXIMUM"]


def test_lossy_round_trip_is_kept():
    # Through an int8 with a coarser scale, values collapse: not the identity.
    b = ModelBuilder()
    x = b.tensor([1, 5, 7], "int8", scale=0.05, zero_point=3)
    coarse = b.tensor([1, 5, 7], "int8", scale=0.5, zero_point=0)
    back = b.tensor([1, 5, 7], "int8", scale=0.05, zero_point=3)
    b.op("QUANTIZE", [x], [coarse])
    b.op("QUANTIZE", [coarse], [back])
    y = b.tensor([1, 5, 7], "int8", scale=0.05, zero_point=3)
    b.op("MAXIMUM", [back, x], [y])
    b.io([x], [y])
    model = remove_dead_operators(cancel_requantize(read_model(b.build())))
    assert _kinds(model) == ["QUANTIZE", "QUANTIZE", "MAXIMUM"]


def test_different_final_quantisation_is_kept():
    data = _round_trip("float32", 0.0, out_scale=0.1, out_zp=3)
    assert _kinds(remove_dead_operators(cancel_requantize(read_model(data)))) == \
        ["DEQUANTIZE", "QUANTIZE", "MAXIMUM"]


def test_saturating_widening_is_kept():
    # * 256 with zero point 3 pushes -128 below the int16 range: three values saturate.
    data = _round_trip("int16", 0.05 / 256)
    assert _kinds(remove_dead_operators(cancel_requantize(read_model(data)))) == \
        ["QUANTIZE", "QUANTIZE", "MAXIMUM"]
