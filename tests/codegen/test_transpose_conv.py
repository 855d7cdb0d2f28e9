"""TRANSPOSE_CONV in C on the host (ASan + UBSan): every sweep model of the reference tests (both
seeds), one executable per seed, byte-identical with the Python reference and with TFLM."""
from __future__ import annotations

import pytest

from tests.kernels.test_transpose_conv import _cases, build_model
from tests.support.host import assert_host_matches


@pytest.mark.parametrize("seed", [0, 1])
def test_transpose_conv_sweep_on_host(seed):
    cases = [(param.id.replace("-", "_"), build_model(param.values[0], seed)) for param in _cases()]
    assert len(cases) > 70
    assert assert_host_matches(cases, seed=seed) == len(cases) * 2
