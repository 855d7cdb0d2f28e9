"""What every project layout shares: the project being written, its template values, the test
vector check, the bare-metal example application and the README's model section."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import __version__
from ..boards import Board
from ..codegen.cformat import c_array_body
from ..codegen.model_source import GeneratedModel, render_template
from ..codegen.project import write_sources
from ..firmware import compile_flags, linker_script, startup_source
from ..fit import Footprint, kib
from .reference_vector import ReferenceVector

# Cores without the DWT cycle counter and the ITM (ARMv6-M); the others (ARMv7-M, ARMv8-M
# mainline) have both.
BASELINE_CORES = {"cortex-m0", "cortex-m0plus"}
# float32 outputs may differ from the reference by this many units in the last place: TFLM's float
# SOFTMAX, LOGISTIC and TANH call libm's expf/tanhf, whose rounding differs between C libraries.
FLOAT_ULPS = 2
# The examples print at most this many values of each output.
PRINTED_VALUES = 16
RETARGET = "src/retarget.c"
ELF = "build/app.elf"


@dataclass(frozen=True)
class Project:
    name: str  # the model's C prefix: file and symbol names
    model_file: str  # the .tflite file it was compiled from (name only)
    board: Board
    generated: GeneratedModel
    footprint: Footprint
    vector: ReferenceVector


def build_flags(board: Board, optimisation: str) -> list[str]:
    """The bare-metal compiler flags that follow the CPU flags."""
    return [flag for flag in compile_flags(board, optimisation) if flag not in board.gcc_flags]


def percent(used: int, total: int) -> str:
    return f"{100 * used / total:.1f}%"


def template_values(project: Project) -> dict:
    board, footprint = project.board, project.footprint
    return {
        "name": project.name, "NAME": project.name.upper(), "model_file": project.model_file,
        "version": __version__, "board": board, "generated": project.generated, "footprint": footprint,
        "has_dwt_itm": board.core not in BASELINE_CORES, "float_ulps": FLOAT_ULPS, "elf": ELF,
        "printed_values": PRINTED_VALUES,
        "float_outputs": any(io["dtype"] == "float32" for io in project.generated.outputs),
        "vector_bytes": sum(map(len, project.vector.inputs + project.vector.outputs)),
        "flash_text": f"{footprint.flash_bytes:,} B of {board.flash.length:,} B "
                      f"({percent(footprint.flash_bytes, board.flash.length)})",
        "ram_text": f"{footprint.ram_bytes:,} B of {board.ram.length:,} B "
                    f"({percent(footprint.ram_bytes, board.ram.length)})",
        "kib": kib,
    }


def render(template: str, project: Project, **extra) -> str:
    """Render templates/projects/<template> with the project's values (and any extra ones)."""
    return render_template(f"projects/{template}", {**template_values(project), **extra})


def write(directory: Path, relative: str, text: str) -> None:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _c_bytes(data: bytes) -> str:
    return c_array_body(np.frombuffer(data, dtype=np.uint8), "uint8_t")


def write_test_vector(project: Project, directory: Path) -> None:
    """test_vector.h and test_vector.c (the bundled input, the expected outputs, the check)."""
    write(directory, "test_vector.h", render("common/test_vector.h.j2", project))
    write(directory, "test_vector.c", render("common/test_vector.c.j2", project,
                                             vector_inputs=[_c_bytes(b) for b in project.vector.inputs],
                                             vector_outputs=[_c_bytes(b) for b in project.vector.outputs]))


def write_bare_metal(project: Project, directory: Path) -> list[str]:
    """The bare-metal application the make and cmake layouts build: startup code and linker
    script from the board, the model and its runtime under model/, the example under src/.
    Returns the C sources (relative, POSIX) except src/retarget.c, which only a build without
    semihosting compiles."""
    write(directory, "board/startup.c", startup_source(project.board))
    write(directory, "board/linker.ld", linker_script(project.board))
    for template in ("main.c", "cycle_counter.h", "cycle_counter.c", "retarget.c"):
        write(directory, f"src/{template}", render(f"common/{template}.j2", project))
    write_test_vector(project, directory / "src")
    write(directory, ".gitignore", "build/\n")
    model_sources = write_sources(project.generated, directory / "model")
    sources = ["board/startup.c", "src/main.c", "src/cycle_counter.c", "src/test_vector.c"]
    return sources + sorted(p.relative_to(directory).as_posix() for p in model_sources)


def write_arduino_sketch(project: Project, path: Path) -> None:
    """The Arduino-framework example (setup/loop, Serial) shared by the platformio and arduino
    layouts: a .ino sketch or a PlatformIO src/main.cpp."""
    write(path.parent, path.name, render("common/arduino_sketch.cpp.j2", project))
