"""Renode files come with the make project of every board Renode models (and only those); they
load the board's platform and the ELF and wait for the example's verdict. Renode is not
installable here: the files are checked, not run, and say they are untested."""
from __future__ import annotations

import pytest

from mcucompile.boards import board_names, load_board
from tests.projects.support import HELLO, MATCH_LINE, generate

RENODE_BOARDS = [name for name in board_names() if load_board(name).renode_platform]


def test_renode_boards():
    assert {"nrf52840", "stm32f446re"} <= set(RENODE_BOARDS)


@pytest.mark.parametrize("board", RENODE_BOARDS)
def test_renode_files(tmp_path, board):
    result = generate(tmp_path, HELLO, board)
    directory, name = result.directory, result.project.name
    script = (directory / "renode" / f"{name}.resc").read_text()
    platform = load_board(board).renode_platform
    assert f"machine LoadPlatformDescription @{platform}" in script
    assert "$elf?=@build/app.elf" in script and "sysbus LoadELF $elf" in script
    assert "UART.SemihostingUart @ semihosting" in script and "showAnalyzer cpu.semihosting.console" in script
    flash_origin = load_board(board).flash.origin
    assert (f"cpu VectorTableOffset 0x{flash_origin:08X}" in script) == (flash_origin != 0)
    robot = (directory / "renode" / f"{name}.robot").read_text()
    assert f"include @${{CURDIR}}/{name}.resc" in robot and "$elf=@${CURDIR}/../build/app.elf" in robot
    assert f"Wait For Line On Uart     {MATCH_LINE}" in robot
    assert "untested" in script and "untested" in robot
    assert "## Renode (untested)" in (directory / "README.md").read_text()


def test_no_renode_files_for_other_boards(tmp_path):
    directory = generate(tmp_path, HELLO, "rp2040").directory
    assert not (directory / "renode").exists()
    assert "Renode" not in (directory / "README.md").read_text()
