"""Does a generated model fit a board? Measured, not estimated: the model's sources and the
runtime kernels it uses are built with arm-none-eabi-gcc for the board's core (-O2, gc-sections),
linked with the board's startup code and a minimal main, and the ELF's sections are read back.

The link uses the board's linker script with its flash and RAM regions widened, so a model that
does not fit still links and its real size can be reported.
"""
from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .boards import Board, Region
from .codegen.model_source import GeneratedModel
from .codegen.project import write_sources
from .errors import UserError
from .firmware import HEAP_BYTES, STACK_BYTES, compile_flags, linker_script, startup_source
from .firmware.build import compile_objects, required_tool

GCC = "arm-none-eabi-gcc"
OBJDUMP = "arm-none-eabi-objdump"
WIDE_REGION = 1 << 30
MINIMAL_MAIN = """#include "{prefix}.h"

int main(void)
{{
    {prefix}_init();
    return {prefix}_invoke();
}}
"""
LINK_FLAGS = ("-nostartfiles", "--specs=nano.specs", "--specs=nosys.specs", "-Wl,--gc-sections")


@dataclass(frozen=True)
class Footprint:
    flash_bytes: int  # code and constants, including .data's initial values
    ram_bytes: int  # .data + .bss (arena, state) + heap and stack reserves
    arena_bytes: int
    state_bytes: int
    stack_bytes: int = STACK_BYTES
    heap_bytes: int = HEAP_BYTES


def kib(size: int) -> str:
    """1536 -> '1.5 KiB', 524288 -> '512 KiB'."""
    value = size / 1024
    return f"{value:.0f} KiB" if value == int(value) else f"{value:.1f} KiB"


def check_fit(footprint: Footprint, board: Board) -> None:
    """One line naming whichever of flash and RAM the model does not fit."""
    problems = []
    if footprint.flash_bytes > board.flash.length:
        problems.append(f"needs {kib(footprint.flash_bytes)} flash, board {board.name} has {kib(board.flash.length)}")
    if footprint.ram_bytes > board.ram.length:
        board_text = "board" if problems else f"board {board.name}"
        problems.append(f"needs {kib(footprint.ram_bytes)} RAM, {board_text} has {kib(board.ram.length)}")
    if problems:
        raise UserError("model " + "; ".join(problems))


def _run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise RuntimeError(f"fit check build failed:\n{' '.join(command)}\n{result.stderr}")
    return result.stdout


def _widened(board: Board) -> Board:
    """The board with its flash and RAM regions each grown up to the other's origin (at most 1 GiB)."""
    def grow(region: Region, other: Region) -> Region:
        room = other.origin - region.origin if other.origin > region.origin else WIDE_REGION
        return dataclasses.replace(region, length=max(region.length, min(room, WIDE_REGION)))
    return dataclasses.replace(board, memory=(grow(board.flash, board.ram), grow(board.ram, board.flash)))


def _span(sections: list[tuple[int, int]], region: Region) -> int:
    """Bytes from the region's origin to the end of the last of the (address, size) sections in it."""
    ends = [address + size for address, size in sections if region.origin <= address < region.origin + region.length]
    return max(ends, default=region.origin) - region.origin


def _sizes(elf: Path, wide: Board, cwd: Path) -> tuple[int, int]:
    """(flash, RAM) bytes: loaded sections by load address, allocated sections by run address."""
    lines = _run([required_tool(OBJDUMP), "-h", str(elf)], cwd).splitlines()
    loaded, allocated = [], []
    for header, flags in zip(lines, lines[1:]):
        fields = header.split()
        if len(fields) != 7 or not fields[0].isdigit() or "ALLOC" not in flags:
            continue
        size, vma, lma = int(fields[2], 16), int(fields[3], 16), int(fields[4], 16)
        allocated.append((vma, size))
        if "LOAD" in flags:
            loaded.append((lma, size))
    return _span(loaded, wide.flash), _span(allocated, wide.ram)


def measure(generated: GeneratedModel, board: Board) -> Footprint:
    gcc = required_tool(GCC)
    with tempfile.TemporaryDirectory(prefix="mcucompile-fit-") as temporary:
        directory = Path(temporary)
        sources = write_sources(generated, directory / "model")
        for name, text in (("main.c", MINIMAL_MAIN.format(prefix=generated.prefix)),
                           ("startup.c", startup_source(board))):
            (directory / name).write_text(text)
            sources.append(directory / name)
        wide = _widened(board)
        (directory / "linker.ld").write_text(linker_script(wide))
        flags = [*compile_flags(board), "-I", str(directory / "model"), "-I", str(directory / "model" / "include")]
        objects = compile_objects(sources, flags, directory / "objects")
        elf = directory / "model.elf"
        _run([gcc, *board.gcc_flags, "-T", "linker.ld", *LINK_FLAGS, *map(str, objects), "-lm", "-o", str(elf)],
             directory)
        flash, ram = _sizes(elf, wide, directory)
    return Footprint(flash_bytes=flash, ram_bytes=ram, arena_bytes=generated.arena_bytes,
                     state_bytes=generated.state_bytes)
