"""Run many models through the host C engine in one build and compare with the Python
reference (the planned arena executor with every pass on) and with TFLM, byte for byte."""
from __future__ import annotations

import numpy as np

from mcucompile.engines.host import run_host_batch
from mcucompile.passes import run_passes
from mcucompile.reader import read_model

from .compare import random_invocations, run_optimised, ulp_distance
from .tflm import run_tflm


Invocations = list[list[np.ndarray]]


def assert_host_matches(cases: list[tuple[str, bytes]], seed: int = 0, invocations: int = 2,
                        sanitize: bool = True, max_ulp: dict[str, int] | None = None) -> int:
    """cases: (name, .tflite bytes), each fed seeded random inputs (see assert_host_matches_on)."""
    chosen = [(name, data, random_invocations(data, seed + number, invocations))
              for number, (name, data) in enumerate(cases)]
    return assert_host_matches_on(chosen, sanitize, max_ulp)


def assert_host_matches_on(cases: list[tuple[str, bytes, Invocations]], sanitize: bool = True,
                           max_ulp: dict[str, int] | None = None) -> int:
    """cases: (name, .tflite bytes, the consecutive invocations' inputs). Every output of the host
    C must equal the Python reference's and TFLM's bytes; max_ulp gives, per case name, a float32
    tolerance for kernels that call libm. Returns the number of output arrays compared."""
    max_ulp = max_ulp or {}
    prepared = [(f"m{number}_{name}", run_passes(read_model(data)), inputs)
                for number, (name, data, inputs) in enumerate(cases)]
    host_results = run_host_batch(prepared, sanitize=sanitize)
    compared = 0
    for (name, data, inputs), (_, model, _), host in zip(cases, prepared, host_results):
        reference = run_optimised(data, inputs)
        tflm = run_tflm(data, inputs, n_outputs=len(model.main.outputs))
        tolerance = max_ulp.get(name, 0)
        for k, (ours, ref, oracle) in enumerate(zip(host, reference, tflm)):
            for j, (a, b, c) in enumerate(zip(ours, ref, oracle)):
                where = f"{name} invocation {k} output {j}"
                if tolerance and a.dtype == np.float32:
                    worst = max(int(ulp_distance(a, b).max(initial=0)), int(ulp_distance(a, c).max(initial=0)))
                    assert worst <= tolerance, f"{where}: {worst} ULP"
                else:
                    assert a.tobytes() == b.tobytes(), f"{where}: host C differs from the Python reference"
                    assert a.tobytes() == c.reshape(a.shape).tobytes(), f"{where}: host C differs from TFLM"
                compared += 1
    return compared
