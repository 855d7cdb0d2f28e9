"""Generated sources compile warning-free for Cortex-M (C99, -Wall -Wextra -Werror -pedantic),
from ARMv6-M to the M55, for every supported whole model."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mcucompile.codegen.model_source import generate_model
from mcucompile.codegen.project import write_sources
from mcucompile.engines.host import WARNINGS
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory
from tests.support.corpus import SUPPORTED_WHOLE_MODELS, model_path

CORES = {
    "m0": ["-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"],
    "m4f": ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"],
    "m7": ["-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-d16"],
    "m33": ["-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"],
    "m55": ["-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard"],
}


@pytest.mark.parametrize("core", sorted(CORES))
def test_generated_sources_compile_for_cortex_m(core, tmp_path: Path):
    c_files: dict[str, Path] = {}
    for name in SUPPORTED_WHOLE_MODELS:
        model = load_model(model_path(name))
        generated = generate_model(model, plan_memory(model, alignment=16 if core == "m55" else 4), name, name)
        c_files.update((str(p), p) for p in write_sources(generated, tmp_path))
    objects = tmp_path / "objects"
    objects.mkdir()
    result = subprocess.run(["arm-none-eabi-gcc", *CORES[core], *WARNINGS, "-Os", "-ffunction-sections",
                             "-fdata-sections", "-I", str(tmp_path), "-I", str(tmp_path / "include"), "-c",
                             *sorted(c_files)], capture_output=True, text=True, cwd=objects)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
