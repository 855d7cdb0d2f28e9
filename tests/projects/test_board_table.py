"""`mcucompile boards`: every board with its core, FPU, memory and QEMU machine."""
from __future__ import annotations

from mcucompile.boards import board_names
from mcucompile.projects.board_table import format_boards


def test_every_board_listed():
    lines = format_boards().splitlines()
    assert lines[0].split()[:7] == ["board", "core", "FPU", "flash", "KiB", "RAM", "KiB"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert sorted(rows) == board_names()
    assert rows["nrf52840"].split()[:6] == ["nrf52840", "cortex-m4", "fpv4-sp-d16", "1,024", "256", "mps2-an386"]
    assert rows["microbit"].split()[:6] == ["microbit", "cortex-m0", "none", "256", "16", "microbit"]
    assert "yes + Helium" in rows["corstone300"]
