"""Every board file loads, names itself, and describes a core, memory and a QEMU machine."""
from __future__ import annotations

import pytest

from mcucompile.boards import CORES, QEMU_MACHINES, board_names, load_board
from mcucompile.errors import UserError

REQUIRED_BOARDS = {"nrf52840", "stm32f446re", "stm32f746", "stm32h743", "rp2040", "nrf5340", "stm32u585",
                   "corstone300", "mps2-an385", "mps2-an386", "mps2-an500", "mps2-an505", "mps3-an547", "microbit"}


def test_required_boards_exist():
    assert REQUIRED_BOARDS <= set(board_names())


@pytest.mark.parametrize("name", board_names())
def test_board_file(name):
    board = load_board(name)
    assert board.core in CORES and board.qemu_machine in QEMU_MACHINES
    assert board.flash.length > 0 and board.ram.length > 0
    assert board.clock_hz > 0
    assert f"-mcpu={board.core}" in board.gcc_flags
    assert board.has_fpu == (board.float_abi == "hard")
    regions = sorted((r.origin, r.origin + r.length) for r in board.memory)
    assert all(end <= start for (_, end), (start, _) in zip(regions, regions[1:])), "memory regions overlap"


def test_unknown_board_lists_the_known_ones():
    with pytest.raises(UserError, match="unknown board 'nope'.*nrf52840"):
        load_board("nope")
