"""The arduino layout: an Arduino library (1.5 format): library.properties, the model and its
runtime under src/ (headers at its root, as the Arduino builder puts only src/ on the include
path), and examples/<model>/<model>.ino with its test vector."""
from __future__ import annotations

import shlex
from pathlib import Path

from .. import __version__
from ..boards import Board
from ..codegen.project import write_split_sources
from ..errors import UserError
from .common import Project, render, write, write_arduino_sketch, write_test_vector


def check_board(board: Board) -> None:
    if board.arduino_fqbn is None:
        raise UserError(f"board {board.name} has no Arduino board (FQBN); --project arduino is not available")


def library_properties(project: Project) -> str:
    fqbn = project.board.arduino_fqbn
    fields = {
        "name": project.name,
        "version": __version__,
        "author": "mcucompile",
        "maintainer": "mcucompile",
        "sentence": f"{project.name} compiled to plain C by mcucompile, bit-exact with TensorFlow Lite for "
                    "Microcontrollers.",
        "paragraph": f"Call {project.name}_init(), write the inputs, call {project.name}_invoke(), read the "
                     f"outputs. The memory plan is made at compile time: no interpreter, no allocation. "
                     f"Generated for {project.board.name} ({fqbn}).",
        "category": "Data Processing",
        "url": "",
        "architectures": fqbn.split(":")[1],
        "includes": f"{project.name}.h",
    }
    return "".join(f"{key}={value}\n" for key, value in fields.items())


def write_project(project: Project, directory: Path) -> None:
    write_split_sources(project.generated, directory / "src", directory / "src")
    write(directory, "library.properties", library_properties(project))
    example = directory / "examples" / project.name
    write_arduino_sketch(project, example / f"{project.name}.ino")
    write_test_vector(project, example)
    write(directory, "README.md", render("arduino/README.md.j2", project, arduino_fqbn=project.board.arduino_fqbn))


def build_command(project: Project, directory: Path) -> str:
    return (f"arduino-cli compile --fqbn {shlex.quote(project.board.arduino_fqbn)} "
            f"--library {shlex.quote(str(directory))} {shlex.quote(str(directory / 'examples' / project.name))}")
