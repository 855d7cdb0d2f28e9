"""The make layout: a bare-metal project built by a Makefile with arm-none-eabi-gcc."""
from __future__ import annotations

import shlex
from pathlib import Path

from ..firmware import DEFAULT_OPTIMISATION
from .common import RETARGET, Project, build_flags, render, write, write_bare_metal
from .renode import write_renode


def write_project(project: Project, directory: Path) -> None:
    sources = write_bare_metal(project, directory)
    renode = project.board.renode_platform is not None
    values = {"sources": sources, "retarget": RETARGET, "renode": renode}
    write(directory, "Makefile", render("make/Makefile.j2", project, **values,
                                        compile_flags=build_flags(project.board, "$(OPT)")))
    write(directory, "README.md", render("make/README.md.j2", project, **values,
                                         compile_flags=build_flags(project.board, DEFAULT_OPTIMISATION)))
    if renode:
        write_renode(project, directory)


def build_command(project: Project, directory: Path) -> str:
    return f"make -C {shlex.quote(str(directory))}"
