"""CONV_2D and DEPTHWISE_CONV_2D in C on the host (ASan + UBSan): every sweep model of the
reference tests, plus PAD + VALID convolutions that fold-pad turns into explicit padding, each
byte-identical with the Python reference and with TFLM."""
from __future__ import annotations

import pytest

from mcucompile.passes.fold_pad import fold_pad
from mcucompile.reader import read_model
from tests.kernels.test_conv import ALL_CASES, build_model
from tests.passes.test_fold_pad import CASES as FOLD_PAD_CASES
from tests.passes.test_fold_pad import _pad_conv
from tests.support.host import assert_host_matches


@pytest.mark.parametrize("kind", ["CONV_2D", "DEPTHWISE_CONV_2D"])
def test_conv_sweep_on_host(kind):
    # One of the reference tests' two seeds per case, alternating, keeps the builds short.
    params = [param for param in ALL_CASES if param.values[0].kind == kind]
    cases = [(param.id.replace("-", "_"), build_model(param.values[0], 1 + number % 2))
             for number, param in enumerate(params)]
    assert len(cases) > 60
    assert assert_host_matches(cases) == len(cases) * 2


# Pads wider than the filter leave whole rows and columns of outputs with no tap inside the image.
WIDE_PADS = [(d, k, ((0, 0), (3, 1), (4, 0), (0, 0)), s) for d in ("int8", "int16", "float32")
             for k in ("CONV_2D", "DEPTHWISE_CONV_2D") for s in (1, 2)]


def test_folded_pad_on_host():
    cases = []
    for number, (dtype, kind, pads, stride) in enumerate(FOLD_PAD_CASES + WIDE_PADS):
        data = _pad_conv(dtype, kind, pads, stride)
        assert [op.kind for op in fold_pad(read_model(data)).main.operators] == [kind]
        cases.append((f"pad{number}_{dtype}_{kind.lower()}", data))
    assert assert_host_matches(cases) == len(cases) * 2
