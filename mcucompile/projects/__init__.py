"""Project layouts: each writes one kind of project (make, cmake, platformio, arduino) around a
generated model, with an example that runs it on a bundled test vector."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..boards import Board
from . import arduino, cmake, make, platformio
from .common import Project


@dataclass(frozen=True)
class Layout:
    write_project: Callable[[Project, Path], None]
    build_command: Callable[[Project, Path], str]
    check_board: Callable[[Board], None] | None = None  # raises UserError when the board cannot have it


LAYOUTS = {
    "make": Layout(make.write_project, make.build_command),
    "cmake": Layout(cmake.write_project, cmake.build_command),
    "platformio": Layout(platformio.write_project, platformio.build_command, platformio.check_board),
    "arduino": Layout(arduino.write_project, arduino.build_command, arduino.check_board),
}
