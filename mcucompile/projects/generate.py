"""`mcucompile MODEL --board BOARD`: compile a model into a project for a board.

Everything is checked before anything is written: the layout against the board, the output
directory, the model (read, planned, generated) and whether it fits the board (measured). The
project is then written into a temporary directory beside the target and moved into place."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..boards import load_board
from ..codegen.cformat import c_identifier
from ..codegen.model_source import generate_model
from ..fit import check_fit, measure
from ..pipeline import load_model
from ..planning.plan import plan_memory
from . import LAYOUTS
from .common import Project, percent
from .output_dir import check_target, staged
from .reference_vector import reference_vector


@dataclass(frozen=True)
class Result:
    project: Project
    layout: str
    directory: Path
    build_command: str


def default_directory(model_path: Path, board_name: str) -> Path:
    return Path(f"{model_path.stem}_{board_name}")


def generate_project(model_path: Path, board_name: str, layout_name: str = "make", output: Path | None = None,
                     force: bool = False, disabled_passes: Iterable[str] = ()) -> Result:
    board = load_board(board_name)
    layout = LAYOUTS[layout_name]
    if layout.check_board is not None:
        layout.check_board(board)
    target = output if output is not None else default_directory(model_path, board.name)
    check_target(target, force)
    model = load_model(model_path, disabled_passes)
    plan = plan_memory(model, alignment=board.alignment)
    name = c_identifier(model_path.stem)
    generated = generate_model(model, plan, name, model_path.name)
    footprint = measure(generated, board)
    check_fit(footprint, board)
    project = Project(name, model_path.name, board, generated, footprint, reference_vector(model, plan))
    marker = {"generator": "mcucompile", "version": __version__, "model": str(model_path.resolve()),
              "model_sha256": hashlib.sha256(model_path.read_bytes()).hexdigest(), "board": board.name,
              "layout": layout_name}
    with staged(target, force, marker) as staging:
        layout.write_project(project, staging)
    return Result(project, layout_name, target, layout.build_command(project, target))


def format_summary(result: Result) -> str:
    project, board, footprint = result.project, result.project.board, result.project.footprint
    return "\n".join([
        f"{result.directory}/: {result.layout} project for {board.name} ({board.description}) "
        f"from {project.model_file}",
        f"  flash {footprint.flash_bytes:>10,} B of {board.flash.length:,} B "
        f"({percent(footprint.flash_bytes, board.flash.length)})",
        f"  RAM   {footprint.ram_bytes:>10,} B of {board.ram.length:,} B ({percent(footprint.ram_bytes, board.ram.length)}): "
        f"arena {footprint.arena_bytes:,} B, state {footprint.state_bytes:,} B, "
        f"stack {footprint.stack_bytes:,} B, heap {footprint.heap_bytes:,} B",
        f"build it: {result.build_command}",
    ])
