"""The platformio layout: the manifests parse and say what PlatformIO needs; the C source set
(everything but the Arduino-framework src/main.cpp) builds with arm-none-eabi-gcc, with the
include paths PlatformIO gives it. PlatformIO itself cannot run offline here."""
from __future__ import annotations

import configparser
import json

import pytest

from mcucompile import __version__
from mcucompile.boards import load_board
from mcucompile.errors import UserError
from mcucompile.projects.platformio import platform
from tests.projects.support import HELLO, KWS, build_source_set, c_sources, generate

PLATFORMS = {"nrf52840": "nordicnrf52", "rp2040": "raspberrypi", "stm32f446re": "ststm32", "microbit": "nordicnrf51"}


@pytest.mark.parametrize("board", ["nrf52840", "rp2040"])
@pytest.mark.parametrize("model", [HELLO, KWS])
def test_platformio_project(tmp_path, board, model):
    result = generate(tmp_path, model, board, "platformio")
    directory, name = result.directory, result.project.name
    ini = configparser.ConfigParser()
    ini.read(directory / "platformio.ini")
    environment = ini[f"env:{load_board(board).platformio_board}"]
    assert ini["platformio"]["default_envs"] == load_board(board).platformio_board
    assert environment["platform"] == PLATFORMS[board]
    assert environment["board"] == load_board(board).platformio_board
    assert environment["framework"] == "arduino"
    library = directory / "lib" / name
    manifest = json.loads((library / "library.json").read_text())
    assert manifest["name"] == name and manifest["version"] == __version__
    assert manifest["headers"] == f"{name}.h" and "-ffp-contract=off" in manifest["build"]["flags"]
    assert (library / "include" / f"{name}.h").is_file() and (library / "include" / "mcu_runtime.h").is_file()
    sketch = directory / "src" / "main.cpp"
    assert "void setup()" in sketch.read_text()
    compiled = c_sources(library / "src") + c_sources(directory / "src")
    assert {p.suffix for p in directory.rglob("*") if p.is_file()} <= {".c", ".h", ".cpp", ".ini", ".json", ".md", ""}
    build_source_set(directory, load_board(board), compiled, [library / "include", directory / "src"], name)
    assert result.build_command == f"pio run -d {directory}"


@pytest.mark.parametrize("board", sorted(PLATFORMS))
def test_platform_from_board_family(board):
    assert platform(load_board(board)) == PLATFORMS[board]


@pytest.mark.parametrize("board,fragment", [("mps2-an386", "no PlatformIO board id"),
                                            ("nrf5340", "no PlatformIO platform with the Arduino framework")])
def test_boards_without_a_platformio_arduino_target_are_refused(board, fragment):
    with pytest.raises(UserError, match=fragment):
        platform(load_board(board))
