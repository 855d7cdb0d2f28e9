"""FULLY_CONNECTED in C on the host (ASan + UBSan): every sweep model of the reference tests,
built into one executable, byte-identical with the Python reference and with TFLM."""
from __future__ import annotations

from tests.kernels.test_fully_connected import _cases, build_model
from tests.support.host import assert_host_matches


def test_fully_connected_sweep_on_host():
    # Weights fed at run time are a reference-kernel feature the C backend refuses.
    cases = [(param.id.replace("-", "_"), build_model(param.values[0], seed))
             for param in _cases() if not param.values[0].weights_as_input for seed in range(2)]
    assert len(cases) > 80
    assert assert_host_matches(cases) == len(cases) * 2
