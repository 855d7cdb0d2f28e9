"""Bare-metal firmware pieces shared by generated projects and the QEMU engine: startup code,
linker scripts from a board's memory regions, compiler flags."""
from __future__ import annotations

from ..boards import Board
from ..codegen.model_source import render_template

STACK_BYTES = 4096
HEAP_BYTES = 2048  # newlib's printf buffers; the model itself never allocates


def startup_source(board: Board) -> str:
    return render_template("firmware/startup.c.j2", {"board": board})


def linker_script(board: Board, stack_bytes: int = STACK_BYTES, heap_bytes: int = HEAP_BYTES) -> str:
    return render_template("firmware/linker.ld.j2", {"board": board, "stack_bytes": stack_bytes,
                                                     "heap_bytes": heap_bytes})


# The kernels' inner loops want -O2: on Cortex-M4 it runs 1.6-1.9x fewer instructions than -Os
# (KWS, ResNet-8, person detection) for 0.6% more flash. TFLM's baseline builds its kernels -O2 too.
DEFAULT_OPTIMISATION = "-O2"


def compile_flags(board: Board, optimisation: str = DEFAULT_OPTIMISATION) -> list[str]:
    """arm-none-eabi-gcc flags for the board's core: C99, warnings as errors, no FMA contraction
    (float sums must round like TFLM's), one section per function and object for gc-sections."""
    return [*board.gcc_flags, "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", optimisation,
            "-ffp-contract=off", "-ffunction-sections", "-fdata-sections"]
