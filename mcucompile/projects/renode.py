"""Renode files for a make project on a board Renode models: a .resc script that loads the
platform and the ELF and shows the semihosting output, and a Robot test that waits for the
example's verdict. Generated but untested (Renode is not available where mcucompile is built)."""
from __future__ import annotations

from pathlib import Path

from .common import Project, render, write


def write_renode(project: Project, directory: Path) -> None:
    write(directory, f"renode/{project.name}.resc", render("renode/model.resc.j2", project))
    write(directory, f"renode/{project.name}.robot", render("renode/model.robot.j2", project))
