"""Run a model through mcucompile's Python reference and through TFLM; demand identical bytes."""
from __future__ import annotations

import numpy as np

from mcucompile.executor import Executor
from mcucompile.reader import read_model
from mcucompile.verify import random_input, ulp_distance

from .tflm import run_tflm


def random_invocations(model_bytes: bytes, seed: int, count: int = 1) -> list[list[np.ndarray]]:
    graph = read_model(model_bytes).main
    rng = np.random.default_rng(seed)
    return [[random_input(graph.tensors[i].shape, graph.tensors[i].dtype, rng) for i in graph.inputs]
            for _ in range(count)]


def run_reference(model_bytes: bytes, invocations: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    executor = Executor(read_model(model_bytes))
    return [executor.invoke(inputs) for inputs in invocations]


def assert_matches_tflm(model_bytes: bytes, seed: int = 0, invocations: int = 1, max_ulp: int = 0) -> int:
    """Compare every output of every invocation; integer outputs must be byte-identical, float32
    outputs too unless max_ulp allows libm differences. Returns the number of outputs compared."""
    inputs = random_invocations(model_bytes, seed, invocations)
    ours = run_reference(model_bytes, inputs)
    theirs = run_tflm(model_bytes, inputs, n_outputs=len(ours[0]))
    for k, (mine, ref) in enumerate(zip(ours, theirs)):
        for j, (a, b) in enumerate(zip(mine, ref)):
            assert a.dtype == b.dtype and a.shape == b.shape, (k, j, a.dtype, b.dtype, a.shape, b.shape)
            if max_ulp and a.dtype == np.float32:
                worst = int(ulp_distance(a, b).max(initial=0))
                assert worst <= max_ulp, f"invocation {k} output {j}: {worst} ULP apart (allowed {max_ulp})"
            else:
                if a.tobytes() != b.tobytes():
                    bad = np.flatnonzero(a.ravel() != b.ravel())
                    raise AssertionError(
                        f"invocation {k} output {j}: {len(bad)} of {a.size} elements differ; first at "
                        f"{bad[:5].tolist()}: ours {a.ravel()[bad[:5]].tolist()} TFLM {b.ravel()[bad[:5]].tolist()}")
    return len(ours) * len(ours[0])


def run_optimised(model_bytes: bytes, invocations: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    """Every graph pass on, every tensor at its planned arena offset, the planned order."""
    from mcucompile.passes import run_passes
    from mcucompile.planning.plan import plan_memory

    model = run_passes(read_model(model_bytes))
    executor = Executor(model, plan_memory(model))
    return [executor.invoke(inputs) for inputs in invocations]
