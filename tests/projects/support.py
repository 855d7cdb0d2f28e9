"""Shared by the project tests: generate a project, build it, build a layout's C source set."""
from __future__ import annotations

import subprocess
from pathlib import Path

from mcucompile.boards import Board
from mcucompile.firmware import compile_flags, linker_script, startup_source
from mcucompile.projects.generate import Result, generate_project
from tests.support.corpus import model_path

HELLO = "tflm_hello_world_int8"
KWS = "mlperf_kws_dscnn_int8"
MATCH_LINE = "outputs match the expected bytes"
MISMATCH_LINE = "outputs DO NOT match the expected bytes"
STRICT_WARNINGS = ("-Wall", "-Wextra", "-Werror")

# What a test links the library source sets (platformio, arduino) with in place of the sketch.
TEST_MAIN = """#include "{name}.h"
#include "test_vector.h"

int main(void)
{{
    {name}_init();
    test_vector_load();
    {name}_invoke();
    return test_vector_matches() ? 0 : 1;
}}
"""


def generate(tmp_path: Path, model: str, board: str, layout: str = "make") -> Result:
    return generate_project(model_path(model), board, layout, tmp_path / f"{model}_{board}_{layout}")


def run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


def build_source_set(directory: Path, board: Board, c_files: list[Path], includes: list[Path], name: str) -> Path:
    """Compile `c_files` as they are (with -Wall -Wextra -Werror) and link them with the board's
    startup code and a test main into an ELF."""
    build = directory / "test-build"
    build.mkdir()
    (build / "main.c").write_text(TEST_MAIN.format(name=name))
    (build / "startup.c").write_text(startup_source(board))
    (build / "linker.ld").write_text(linker_script(board))
    flags = [*compile_flags(board), *(f"-I{include}" for include in includes)]
    assert set(STRICT_WARNINGS) <= set(flags)
    objects = []
    for number, source in enumerate([*c_files, build / "main.c", build / "startup.c"]):
        objects.append(build / f"{number}.o")
        result = run(["arm-none-eabi-gcc", *flags, "-c", str(source), "-o", str(objects[-1])])
        assert result.stderr == ""
    elf = build / "app.elf"
    run(["arm-none-eabi-gcc", *board.gcc_flags, "-T", str(build / "linker.ld"), "-nostartfiles", "--specs=nano.specs",
         "--specs=nosys.specs", "-Wl,--gc-sections", *map(str, objects), "-lm", "-o", str(elf)])
    return elf


def c_sources(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.c"))

