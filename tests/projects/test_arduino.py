"""The arduino layout: a 1.5-format library whose library.properties has the required keys; the
C source set (src/ recursively and the sketch folder's .c files, everything but the .ino) builds
with arm-none-eabi-gcc with only the include paths the Arduino builder gives (the library's src/
and the sketch folder). arduino-cli is not available here."""
from __future__ import annotations

import re

import pytest

from mcucompile import __version__
from mcucompile.boards import load_board
from mcucompile.errors import UserError
from mcucompile.projects.arduino import check_board
from tests.projects.support import HELLO, KWS, build_source_set, c_sources, generate

REQUIRED_KEYS = {"name", "version", "author", "maintainer", "sentence", "paragraph", "category", "url", "architectures"}
CATEGORIES = {"Display", "Communication", "Signal Input/Output", "Sensors", "Device Control", "Timing",
              "Data Storage", "Data Processing", "Other"}


def read_properties(path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


@pytest.mark.parametrize("board", ["nrf52840", "rp2040"])
@pytest.mark.parametrize("model", [HELLO, KWS])
def test_arduino_library(tmp_path, board, model):
    result = generate(tmp_path, model, board, "arduino")
    directory, name = result.directory, result.project.name
    fqbn = load_board(board).arduino_fqbn
    properties = read_properties(directory / "library.properties")
    assert REQUIRED_KEYS <= set(properties)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _.-]*", properties["name"]) and properties["name"] == name
    assert properties["version"] == __version__ and properties["category"] in CATEGORIES
    assert properties["architectures"] == fqbn.split(":")[1]
    assert properties["includes"] == f"{name}.h"
    example = directory / "examples" / name
    sketch = example / f"{name}.ino"
    assert "void setup()" in sketch.read_text() and "Serial.println(test_vector_matches()" in sketch.read_text()
    assert (directory / "src" / f"{name}.h").is_file() and (directory / "src" / "mcu_runtime.h").is_file()
    assert not list(directory.rglob("*.cpp")), "only the sketch is C++"
    compiled = c_sources(directory / "src") + c_sources(example)
    build_source_set(directory, load_board(board), compiled, [directory / "src", example], name)
    assert result.build_command == f"arduino-cli compile --fqbn {fqbn} --library {directory} {example}"


def test_boards_without_an_arduino_fqbn_are_refused():
    with pytest.raises(UserError, match="board mps2-an386 has no Arduino board"):
        check_board(load_board("mps2-an386"))
