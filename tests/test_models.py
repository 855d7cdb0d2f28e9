"""Whole real models: the Python reference must match TFLM byte for byte, on every output of
three consecutive invocations for three seeded inputs, and on every intermediate tensor."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.executor import Executor
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory
from mcucompile.reader import read_model
from mcucompile.verify import LIBM_KINDS, LIBM_MAX_ULP
from tests.support.compare import random_invocations, ulp_distance
from tests.support.corpus import MODELS_DIR, SUPPORTED_WHOLE_MODELS, model_path, seanet_models
from tests.support.tflm import run_tflm, tflm_interpreter

SEEDS = (0, 1, 2)
INVOCATIONS = 3

CASES = [(name, model_path(name)) for name in SUPPORTED_WHOLE_MODELS] + \
        [(f"seanet/{name}", MODELS_DIR / "seanet" / f"{name}.tflite") for name in seanet_models()]


def _tolerances(graph) -> dict[int, int]:
    return {t: LIBM_MAX_ULP for op in graph.operators if op.kind in LIBM_KINDS for t in op.outputs
            if graph.tensors[t].dtype == "float32"}


def _assert_same(ours: np.ndarray, theirs: np.ndarray, max_ulp: int, what: str) -> None:
    assert ours.dtype == theirs.dtype and ours.size == theirs.size, (what, ours.dtype, theirs.dtype)
    theirs = theirs.reshape(ours.shape)
    if max_ulp and ours.dtype == np.float32:
        worst = int(ulp_distance(ours, theirs).max(initial=0))
        assert worst <= max_ulp, f"{what}: {worst} ULP from TFLM"
        return
    if ours.tobytes() != theirs.tobytes():
        bad = np.flatnonzero(ours.ravel() != theirs.ravel())
        raise AssertionError(f"{what}: {len(bad)} of {ours.size} elements differ, first {bad[:5].tolist()}: "
                             f"ours {ours.ravel()[bad[:5]].tolist()} TFLM {theirs.ravel()[bad[:5]].tolist()}")


def test_corpus_is_present():
    assert MODELS_DIR.is_dir(), f"model corpus not found at {MODELS_DIR}; set MCUCOMPILE_MODELS"
    assert len(seanet_models()) == 64


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name,path", CASES, ids=[c[0] for c in CASES])
def test_model_matches_tflm(name, path, seed):
    model_bytes = path.read_bytes()
    model = read_model(model_bytes)
    graph = model.main
    tolerances = _tolerances(graph)
    ours = Executor(model)
    theirs = tflm_interpreter(model_bytes, preserve_all_tensors=True)
    for step, inputs in enumerate(random_invocations(model_bytes, seed, INVOCATIONS)):
        for i, value in enumerate(inputs):
            theirs.set_input(value, i)
        theirs.invoke()
        outputs = ours.invoke(inputs)
        for j, (index, value) in enumerate(zip(graph.outputs, outputs)):
            _assert_same(value, np.array(theirs.get_output(j)), tolerances.get(index, 0),
                         f"{name} seed {seed} invocation {step} output {j}")
        for index, value in ours.values.items():
            tensor = graph.tensors[index]
            if tensor.is_constant or tensor.dtype == "resource":
                continue
            reference = theirs.GetTensor(index, 0)["tensor_data"]
            _assert_same(value, np.asarray(reference), tolerances.get(index, 0),
                         f"{name} seed {seed} invocation {step} tensor {index} ({tensor.name})")


@pytest.mark.parametrize("name,path", CASES, ids=[c[0] for c in CASES])
def test_planned_model_matches_tflm(name, path):
    """Every pass on, every tensor at its planned offset in one flat arena, the planned order:
    outputs must still match TFLM byte for byte."""
    model_bytes = path.read_bytes()
    model = load_model(path)
    plan = plan_memory(model)
    assert plan.arena_bytes >= plan.lower_bound_bytes
    ours = Executor(model, plan)
    tolerances = _tolerances(model.main)
    for seed in SEEDS:
        ours.reset()
        inputs = random_invocations(model_bytes, seed, INVOCATIONS)
        theirs = run_tflm(model_bytes, inputs, n_outputs=len(model.main.outputs))
        for step, (invocation, expected) in enumerate(zip(inputs, theirs)):
            for j, (index, value) in enumerate(zip(model.main.outputs, ours.invoke(invocation))):
                _assert_same(value, expected[j], tolerances.get(index, 0),
                             f"{name} seed {seed} invocation {step} output {j} (planned)")
