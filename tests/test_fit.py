"""The fit check: measured flash and RAM, and one line naming what does not fit."""
from __future__ import annotations

import pytest

from mcucompile.boards import load_board
from mcucompile.codegen.model_source import generate_model
from mcucompile.errors import UserError
from mcucompile.firmware import HEAP_BYTES, STACK_BYTES
from mcucompile.fit import Footprint, check_fit, kib, measure
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory
from tests.support.corpus import model_path


def footprint(model: str, board: str) -> Footprint:
    graph = load_model(model_path(model))
    plan = plan_memory(graph, alignment=load_board(board).alignment)
    return measure(generate_model(graph, plan, model, model), load_board(board))


def test_kib():
    assert kib(524288) == "512 KiB" and kib(1536) == "1.5 KiB" and kib(22256) == "21.7 KiB"


def test_measured_figures():
    measured = footprint("mlperf_kws_dscnn_int8", "nrf52840")
    assert measured.arena_bytes == 16000 and measured.state_bytes == 0
    assert measured.ram_bytes >= 16000 + STACK_BYTES + HEAP_BYTES
    assert measured.ram_bytes < 16000 + STACK_BYTES + HEAP_BYTES + 1024, "RAM beyond arena, stack, heap"
    assert 20_000 < measured.flash_bytes < 100_000, "KWS weights are about 22 KB"


def test_measured_even_when_it_does_not_fit():
    measured = footprint("tflm_person_detect_int8", "microbit")
    assert measured.flash_bytes > 200_000 and measured.ram_bytes > 16 * 1024
    with pytest.raises(UserError) as refusal:
        check_fit(measured, load_board("microbit"))
    assert str(refusal.value) == f"model needs {kib(measured.ram_bytes)} RAM, board microbit has 16 KiB"


def test_kws_does_not_fit_the_microbit():
    measured = footprint("mlperf_kws_dscnn_int8", "microbit")
    with pytest.raises(UserError, match=r"^model needs 21\.7 KiB RAM, board microbit has 16 KiB$"):
        check_fit(measured, load_board("microbit"))


def test_flash_and_ram_in_one_line():
    board = load_board("stm32f446re")
    with pytest.raises(UserError) as refusal:
        check_fit(Footprint(flash_bytes=600_000, ram_bytes=184_525, arena_bytes=0, state_bytes=0), board)
    assert str(refusal.value) == ("model needs 585.9 KiB flash, board stm32f446re has 512 KiB; "
                                  "needs 180.2 KiB RAM, board has 128 KiB")
    with pytest.raises(UserError) as refusal:
        check_fit(Footprint(flash_bytes=600_000, ram_bytes=1000, arena_bytes=0, state_bytes=0), board)
    assert str(refusal.value) == "model needs 585.9 KiB flash, board stm32f446re has 512 KiB"
    check_fit(Footprint(flash_bytes=512 * 1024, ram_bytes=128 * 1024, arena_bytes=0, state_bytes=0), board)


def test_missing_toolchain_is_one_clear_line(monkeypatch):
    from mcucompile.errors import UserError
    from mcucompile.firmware import build

    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    with pytest.raises(UserError, match=r"^arm-none-eabi-gcc not found: scripts/setup.sh installs"):
        build.required_tool("arm-none-eabi-gcc")
