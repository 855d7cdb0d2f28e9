"""Generating the same model twice gives byte-identical sources, even across processes with
different hash seeds (no set or dict ordering leaks into the output)."""
from __future__ import annotations

import os
import subprocess
import sys

from mcucompile.codegen.model_source import generate_model
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory
from tests.support.corpus import model_path

MODELS = ("tflm_hello_world_int8", "mlperf_ad_toycar_int8", "mww_hey_jarvis")

_DIGEST = """
import hashlib, sys
from mcucompile.codegen.model_source import generate_model
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory
model = load_model(sys.argv[1])
files = generate_model(model, plan_memory(model), "m", "m.tflite").files
print(hashlib.sha256("".join(k + v for k, v in sorted(files.items())).encode()).hexdigest())
"""


def _digest(path, hash_seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    result = subprocess.run([sys.executable, "-c", _DIGEST, str(path)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_generation_is_reproducible_across_processes():
    for name in MODELS:
        assert _digest(model_path(name), "1") == _digest(model_path(name), "2")


def test_prefix_comes_from_the_model_name():
    model = load_model(model_path("tflm_hello_world_int8"))
    files = generate_model(model, plan_memory(model), "tflm_hello_world_int8", "x.tflite").files
    assert set(files) == {"tflm_hello_world_int8.c", "tflm_hello_world_int8.h"}
    header = files["tflm_hello_world_int8.h"]
    assert "extern int8_t *const tflm_hello_world_int8_input_0;" in header
    assert "#define TFLM_HELLO_WORLD_INT8_OUTPUT_0_ZERO_POINT" in header
