"""AVERAGE_POOL_2D and MAX_POOL_2D against TFLM: geometry x activation x dtype sweeps."""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.executor import Executor
from mcucompile.reader import read_model
from tests.support.compare import assert_matches_tflm
from tests.support.modelbuilder import ModelBuilder
from tests.support.tflm import run_tflm


@dataclass(frozen=True)
class Geometry:
    input_shape: tuple[int, int, int, int]
    filter_hw: tuple[int, int]
    stride_hw: tuple[int, int]
    padding: str

    @property
    def id(self) -> str:
        n, h, w, c = self.input_shape
        return (f"{n}x{h}x{w}x{c}-f{self.filter_hw[0]}x{self.filter_hw[1]}"
                f"-s{self.stride_hw[0]}x{self.stride_hw[1]}-{self.padding}")


GEOMETRIES = [
    Geometry((1, 5, 5, 3), (2, 2), (2, 2), "VALID"),
    Geometry((1, 5, 5, 3), (2, 2), (2, 2), "SAME"),
    Geometry((2, 7, 6, 4), (3, 3), (1, 1), "SAME"),
    Geometry((1, 7, 6, 4), (3, 3), (1, 1), "VALID"),
    Geometry((1, 9, 8, 2), (3, 2), (2, 1), "SAME"),
    Geometry((1, 11, 13, 8), (3, 3), (2, 2), "SAME"),
    Geometry((1, 4, 4, 5), (4, 4), (1, 1), "VALID"),  # global pooling
    Geometry((1, 3, 3, 2), (5, 5), (1, 1), "SAME"),  # filter larger than the input
    Geometry((1, 6, 9, 3), (1, 3), (1, 3), "SAME"),
    Geometry((1, 8, 7, 1), (2, 3), (3, 2), "SAME"),
]
ACTIVATIONS = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1", "TANH"]
DTYPES = ["int8", "int16", "float32"]
OPS = ["AVERAGE_POOL_2D", "MAX_POOL_2D"]


def _output_size(size: int, filter_size: int, stride: int, padding: str) -> int:
    if padding == "SAME":
        return -(-size // stride)
    return (size - filter_size) // stride + 1


def _quantization(dtype: str, rng: np.random.Generator) -> dict:
    if dtype == "int8":
        return {"scale": float(rng.uniform(0.02, 0.1)), "zero_point": int(rng.integers(-40, 40))}
    if dtype == "int16":
        return {"scale": float(rng.uniform(1e-4, 5e-4)), "zero_point": int(rng.integers(-500, 500))}
    return {}


def pool_model(kind: str, geometry: Geometry, activation: str, dtype: str, seed: int,
               output_quantization: dict | None = None) -> bytes:
    rng = np.random.default_rng(seed)
    n, h, w, c = geometry.input_shape
    (fh, fw), (sh, sw) = geometry.filter_hw, geometry.stride_hw
    out_shape = (n, _output_size(h, fh, sh, geometry.padding), _output_size(w, fw, sw, geometry.padding), c)
    quantization = _quantization(dtype, rng)
    b = ModelBuilder()
    x = b.tensor(geometry.input_shape, dtype, **quantization)
    y = b.tensor(out_shape, dtype, **(output_quantization or quantization))
    b.op(kind, [x], [y], "Pool2DOptions", padding=geometry.padding, stride_h=sh, stride_w=sw,
         filter_height=fh, filter_width=fw, fused_activation_function=activation)
    b.io([x], [y])
    return b.build()


def _seed(*parts: str) -> int:
    return zlib.crc32("/".join(parts).encode())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("geometry", GEOMETRIES, ids=lambda g: g.id)
@pytest.mark.parametrize("kind", OPS)
def test_pool_matches_tflm(kind, geometry, activation, dtype):
    seed = _seed(kind, geometry.id, activation, dtype)
    model = pool_model(kind, geometry, activation, dtype, seed)
    assert assert_matches_tflm(model, seed=seed, invocations=2) == 2


@pytest.mark.parametrize("dtype", ["int8", "int16"])
@pytest.mark.parametrize("kind", OPS)
def test_average_rounds_halves_away_from_zero(kind, dtype):
    """2x2 windows whose sums are 2, 6, 1 and 3 (averages 0.5, 1.5, 0.25, 0.75), and their
    negations in the second channel, exercise the rounding rule on both signs."""
    geometry = Geometry((1, 4, 4, 2), (2, 2), (2, 2), "VALID")
    model = pool_model(kind, geometry, "NONE", dtype, seed=7)
    blocks = np.array([[[1, 1], [0, 0]], [[3, 3], [0, 0]], [[1, 0], [0, 0]], [[3, 0], [0, 0]]])
    plane = blocks.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(4, 4)
    x = np.stack([plane, -plane], axis=-1).reshape(1, 4, 4, 2).astype(dtype)
    ours = Executor(read_model(model)).invoke([x])[0]
    theirs = run_tflm(model, [[x]], n_outputs=1)[0][0]
    assert ours.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("kind", OPS)
def test_requantising_pool_is_rejected(kind):
    geometry = Geometry((1, 4, 4, 2), (2, 2), (2, 2), "VALID")
    model = pool_model(kind, geometry, "NONE", "int8", seed=3,
                       output_quantization={"scale": 0.5, "zero_point": 0})
    with pytest.raises(UnsupportedModelError, match=f"{kind} #0: TFLM requires the output quantisation"):
        Executor(read_model(model))


@pytest.mark.parametrize("activation", ["NONE", "RELU"])
@pytest.mark.parametrize("kind", OPS)
def test_float_signed_zeros_match_tflm(kind, activation):
    """TFLM's std::max/std::min keep the first operand on ties, so -0.0 can survive a RELU."""
    geometry = Geometry((1, 4, 4, 2), (2, 2), (2, 2), "VALID")
    model = pool_model(kind, geometry, activation, "float32", seed=11)
    x = np.array([-0.0, 0.0, -0.0, -1.5, 0.0, -0.0, -2.0, -0.0] * 4, dtype=np.float32).reshape(1, 4, 4, 2)
    ours = Executor(read_model(model)).invoke([x])[0]
    theirs = run_tflm(model, [[x]], n_outputs=1)[0][0]
    assert ours.tobytes() == theirs.tobytes()
