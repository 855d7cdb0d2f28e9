"""The test vector bundled with every example: a fixed pseudo-random input and the outputs the
Python reference kernels compute for it (one invocation from the initial state)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..executor import Executor
from ..ir import Model
from ..planning.plan import MemoryPlan

SEED = 20240601


@dataclass(frozen=True)
class ReferenceVector:
    inputs: tuple[bytes, ...]  # raw bytes of each model input
    outputs: tuple[bytes, ...]  # raw bytes of each model output, as the reference computes them


def _random_input(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    if dtype == "float32":
        return rng.uniform(-1.0, 1.0, size=shape).astype(np.float32)
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    info = np.iinfo(dtype)
    return rng.integers(int(info.min), int(info.max), size=shape, endpoint=True).astype(dtype)


def reference_vector(model: Model, plan: MemoryPlan) -> ReferenceVector:
    rng = np.random.default_rng(SEED)
    tensors = model.main.tensors
    inputs = [_random_input(rng, tensors[i].shape, tensors[i].dtype) for i in model.main.inputs]
    outputs = Executor(model, plan).invoke(inputs)
    return ReferenceVector(tuple(np.ascontiguousarray(x).tobytes() for x in inputs),
                           tuple(np.ascontiguousarray(y).tobytes() for y in outputs))
