"""The platformio layout: platformio.ini with the Arduino framework, the example as src/main.cpp,
the model and its runtime as the library lib/<model>/ (include/ and src/)."""
from __future__ import annotations

import json
import shlex
from pathlib import Path

from .. import __version__
from ..boards import Board
from ..codegen.project import write_split_sources
from ..errors import UserError
from .common import Project, render, write, write_arduino_sketch, write_test_vector

# PlatformIO development platform by board family (a substring of the board's name or
# description); each of these platforms supports the Arduino framework on the boards mcucompile
# knows.
PLATFORMS = (("nrf51", "nordicnrf51"), ("micro:bit", "nordicnrf51"), ("nrf52", "nordicnrf52"),
             ("stm32", "ststm32"), ("rp2040", "raspberrypi"))


def platform(board: Board) -> str:
    text = f"{board.name} {board.description}".lower()
    if board.platformio_board is None:
        raise UserError(f"board {board.name} has no PlatformIO board id; --project platformio is not available")
    for family, name in PLATFORMS:
        if family in text:
            return name
    raise UserError(f"no PlatformIO platform with the Arduino framework is known for board {board.name} "
                    f"({board.description}); use --project make or cmake")


def check_board(board: Board) -> None:
    platform(board)


def library_manifest(project: Project) -> str:
    manifest = {
        "name": project.name,
        "version": __version__,
        "description": f"{project.name} compiled to plain C by mcucompile, bit-exact with TensorFlow Lite "
                       "for Microcontrollers",
        "keywords": ["tflite", "tinyml", "inference"],
        "frameworks": "*",
        "platforms": "*",
        "headers": f"{project.name}.h",
        # No fused multiply-add: float results round exactly as TFLM's do.
        "build": {"flags": ["-ffp-contract=off"]},
    }
    return json.dumps(manifest, indent=2) + "\n"


def write_project(project: Project, directory: Path) -> None:
    library = directory / "lib" / project.name
    write_split_sources(project.generated, library / "include", library / "src")
    write(library, "library.json", library_manifest(project))
    write_arduino_sketch(project, directory / "src" / "main.cpp")
    write_test_vector(project, directory / "src")
    values = {"platform": platform(project.board)}
    write(directory, "platformio.ini", render("platformio/platformio.ini.j2", project, **values))
    write(directory, "README.md", render("platformio/README.md.j2", project, **values))
    write(directory, ".gitignore", ".pio/\n")


def build_command(project: Project, directory: Path) -> str:
    return f"pio run -d {shlex.quote(str(directory))}"
