"""Whole real models in C on the host: byte-identical with the Python reference and with TFLM,
three seeded inputs, three consecutive invocations each (stateful models carry their state),
built once with ASan and UBSan."""
from __future__ import annotations

import pytest

from tests.support.corpus import MODELS_DIR, SUPPORTED_WHOLE_MODELS, model_path, seanet_models
from tests.support.host import assert_host_matches

SEEDS = (0, 1, 2)
# Float SOFTMAX calls expf from libm on both sides; libms may differ in the last place.
LIBM_MAX_ULP = {"mlperf_ic_resnet8_fp32": 2}


def _whole(seed: int) -> list[tuple[str, bytes]]:
    return [(name, model_path(name).read_bytes()) for name in SUPPORTED_WHOLE_MODELS]


@pytest.mark.parametrize("seed", SEEDS)
def test_whole_models_on_host(seed):
    cases = _whole(seed)
    assert assert_host_matches(cases, seed=seed, invocations=3, max_ulp=LIBM_MAX_ULP) >= 3 * len(cases)


def test_seanet_models_on_host():
    cases = [(f"seanet_{name}", (MODELS_DIR / "seanet" / f"{name}.tflite").read_bytes()) for name in seanet_models()]
    for seed in SEEDS:
        assert assert_host_matches(cases, seed=seed, invocations=3) == 3 * len(cases)
