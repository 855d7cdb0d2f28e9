"""AVERAGE_POOL_2D and MAX_POOL_2D in C on the host (ASan + UBSan): every sweep model of the
reference tests, byte-identical with the Python reference and with TFLM, plus the reference
tests' hand-made inputs (rounding ties, signed zeros)."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.codegen.model_source import generate_model
from mcucompile.errors import UnsupportedModelError
from mcucompile.planning.plan import plan_memory
from mcucompile.reader import read_model
from tests.kernels.test_pooling import ACTIVATIONS, DTYPES, GEOMETRIES, Geometry, _seed, pool_model
from tests.support.host import assert_host_matches, assert_host_matches_on


@pytest.mark.parametrize("kind", ["AVERAGE_POOL_2D", "MAX_POOL_2D"])
def test_pool_sweep_on_host(kind):
    cases = []
    for geometry in GEOMETRIES:
        for activation in ACTIVATIONS:
            for dtype in DTYPES:
                seed = _seed(kind, geometry.id, activation, dtype)
                name = f"{geometry.id}_{activation}_{dtype}".replace("-", "_")
                cases.append((name, pool_model(kind, geometry, activation, dtype, seed)))
    assert len(cases) == 150
    assert assert_host_matches(cases) == len(cases) * 2


def _rounding_input(dtype: str) -> np.ndarray:
    """Windows summing to 2, 6, 1, 3 and their negations: every rounding tie of both signs."""
    blocks = np.array([[[1, 1], [0, 0]], [[3, 3], [0, 0]], [[1, 0], [0, 0]], [[3, 0], [0, 0]]])
    plane = blocks.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(4, 4)
    return np.stack([plane, -plane], axis=-1).reshape(1, 4, 4, 2).astype(dtype)


def test_pool_hand_made_inputs_on_host():
    geometry = Geometry((1, 4, 4, 2), (2, 2), (2, 2), "VALID")
    signed_zeros = np.array([-0.0, 0.0, -0.0, -1.5, 0.0, -0.0, -2.0, -0.0] * 4, np.float32).reshape(1, 4, 4, 2)
    cases = []
    for kind in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        for dtype in ("int8", "int16"):
            cases.append((f"{kind}_{dtype}_ties", pool_model(kind, geometry, "NONE", dtype, seed=7),
                          _rounding_input(dtype)))
        for activation in ("NONE", "RELU"):
            cases.append((f"{kind}_{activation}_zeros", pool_model(kind, geometry, activation, "float32", seed=11),
                          signed_zeros))
    assert assert_host_matches_on([(name, data, [[x]]) for name, data, x in cases]) == len(cases)


def test_int16_average_whose_sum_could_overflow_is_refused():
    """TFLM sums a window in int32: 65537 int16 cells could overflow it."""
    model = read_model(pool_model("AVERAGE_POOL_2D", Geometry((1, 1, 65537, 1), (1, 65537), (1, 1), "VALID"),
                                  "NONE", "int16", seed=0))
    with pytest.raises(UnsupportedModelError, match="AVERAGE_POOL_2D #0: a 65537-cell int16 window sum"):
        generate_model(model, plan_memory(model), "refused", "refused")
