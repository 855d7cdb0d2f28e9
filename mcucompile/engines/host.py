"""The host engine: build the generated C with the host compiler and run it on npz inputs.

Several models can be built into one executable (each has its own name prefix), which is how
the tests run hundreds of single-operator models with one compiler invocation.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from ..codegen.model_source import GeneratedModel, generate_model, render_template
from ..codegen.project import write_sources
from ..errors import UserError
from ..ir import Model
from ..planning.plan import plan_memory

WARNINGS = ("-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror")
# -ffp-contract=off: no fused multiply-add, so float sums round exactly as TFLM's do.
HOST_FLAGS = WARNINGS + ("-O2", "-ffp-contract=off")
SANITIZE_FLAGS = ("-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g")

Invocations = list[list[np.ndarray]]


def host_compiler() -> str:
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        raise UserError("no host C compiler found (gcc or cc); install gcc to use --engine host")
    return compiler


def build_host(models: list[GeneratedModel], directory: Path, sanitize: bool = False) -> Path:
    c_files: dict[str, Path] = {}
    for generated in models:
        for path in write_sources(generated, directory):
            c_files[str(path)] = path
    harness = directory / "host_main.c"
    harness.write_text(render_template("host_main.c.j2", {"models": models}))
    executable = directory / "model_host"
    command = [host_compiler(), *HOST_FLAGS, *(SANITIZE_FLAGS if sanitize else ()), "-I", str(directory),
               "-I", str(directory / "include"), *sorted(c_files), str(harness), "-lm", "-o", str(executable)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"host build failed:\n{' '.join(command)}\n{result.stderr}")
    return executable


def _split_outputs(model: Model, raw: bytes, count: int) -> Invocations:
    outputs, position = [], 0
    for _ in range(count):
        step = []
        for index in model.main.outputs:
            tensor = model.main.tensors[index]
            step.append(np.frombuffer(raw[position:position + tensor.nbytes], dtype=tensor.dtype)
                        .reshape(tensor.shape).copy())
            position += tensor.nbytes
        outputs.append(step)
    return outputs


def run_host_batch(cases: list[tuple[str, Model, Invocations]], sanitize: bool = False) -> list[Invocations]:
    """Build every (name, model, invocations) case into one executable and run each case."""
    generated = [generate_model(model, plan_memory(model), name, name) for name, model, _ in cases]
    results = []
    with tempfile.TemporaryDirectory(prefix="mcucompile-host-") as temporary:
        directory = Path(temporary)
        executable = build_host(generated, directory, sanitize)
        for number, (name, model, invocations) in enumerate(cases):
            inputs, outputs = directory / f"in{number}.bin", directory / f"out{number}.bin"
            inputs.write_bytes(b"".join(np.ascontiguousarray(x).tobytes() for step in invocations for x in step))
            result = subprocess.run([str(executable), str(number), str(inputs), str(outputs), str(len(invocations))],
                                    capture_output=True, text=True)
            if result.returncode != 0 or result.stderr:
                raise RuntimeError(f"{name}: host run failed (status {result.returncode}):\n{result.stderr}")
            results.append(_split_outputs(model, outputs.read_bytes(), len(invocations)))
    return results


def run_host(model: Model, invocations: Invocations, sanitize: bool = False, name: str = "model") -> Invocations:
    return run_host_batch([(name, model, invocations)], sanitize)[0]
