"""The cmake layout: the make layout's sources built by CMake with an arm-none-eabi toolchain file."""
from __future__ import annotations

import shlex
from pathlib import Path

from ..firmware import DEFAULT_OPTIMISATION
from .common import RETARGET, Project, build_flags, render, write, write_bare_metal


def write_project(project: Project, directory: Path) -> None:
    sources = write_bare_metal(project, directory)
    write(directory, "CMakeLists.txt", render("cmake/CMakeLists.txt.j2", project, sources=sources, retarget=RETARGET,
                                              compile_flags=build_flags(project.board, "${OPT}")))
    write(directory, "cmake/arm-none-eabi.cmake", render("cmake/arm-none-eabi.cmake.j2", project))
    write(directory, "README.md", render("cmake/README.md.j2", project,
                                         compile_flags=build_flags(project.board, DEFAULT_OPTIMISATION)))


def build_command(project: Project, directory: Path) -> str:
    return (f"cd {shlex.quote(str(directory))} && cmake -B build -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake "
            "&& cmake --build build")
