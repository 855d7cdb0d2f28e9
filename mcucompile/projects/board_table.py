"""`mcucompile boards`: one line per board file."""
from __future__ import annotations

from ..boards import board_names, load_board

HEADER = ("board", "core", "FPU", "flash KiB", "RAM KiB", "QEMU machine", "description")


def format_boards() -> str:
    rows = [HEADER]
    for name in board_names():
        board = load_board(name)
        fpu = (board.fpu if board.fpu != "auto" else "yes") if board.has_fpu else "none"
        rows.append((board.name, board.core, fpu + (" + Helium" if board.helium else ""),
                     f"{board.flash.length // 1024:,}", f"{board.ram.length // 1024:,}", board.qemu_machine,
                     board.description))
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER) - 1)]
    right = {3, 4}
    return "\n".join("  ".join([*(cell.rjust(width) if column in right else cell.ljust(width)
                                  for column, (cell, width) in enumerate(zip(row, widths))), row[-1]])
                     for row in rows)
