"""generate_project: checks come before writing, the summary gives the figures and the command."""
from __future__ import annotations

import json

import pytest

from mcucompile import __version__
from mcucompile.errors import UserError
from mcucompile.projects.generate import default_directory, format_summary, generate_project
from mcucompile.projects.output_dir import MARKER
from tests.projects.support import HELLO, KWS, generate
from tests.support.corpus import model_path


def test_summary_and_marker(tmp_path):
    result = generate(tmp_path, KWS, "nrf52840")
    footprint = result.project.footprint
    summary = format_summary(result).splitlines()
    assert summary[0] == f"{result.directory}/: make project for nrf52840 (Nordic nRF52840-DK) from {KWS}.tflite"
    assert summary[1].split() == ["flash", f"{footprint.flash_bytes:,}", "B", "of", "1,048,576", "B",
                                  f"({100 * footprint.flash_bytes / 1048576:.1f}%)"]
    assert summary[2].startswith(f"  RAM   {footprint.ram_bytes:>10,} B of 262,144 B (")
    assert "arena 16,000 B, state 0 B, stack 4,096 B, heap 2,048 B" in summary[2]
    assert summary[3] == f"build it: make -C {result.directory}"
    marker = json.loads((result.directory / MARKER).read_text())
    assert marker["generator"] == "mcucompile" and marker["version"] == __version__
    assert marker["board"] == "nrf52840" and marker["layout"] == "make" and len(marker["model_sha256"]) == 64


def test_default_directory_is_model_and_board(tmp_path, monkeypatch):
    assert str(default_directory(model_path(HELLO), "rp2040")) == f"{HELLO}_rp2040"
    monkeypatch.chdir(tmp_path)
    result = generate_project(model_path(HELLO), "mps2-an385")
    assert (tmp_path / f"{HELLO}_mps2-an385" / "Makefile").is_file()
    assert str(result.directory) == f"{HELLO}_mps2-an385"


@pytest.mark.parametrize("model,board,layout,fragment", [
    (KWS, "microbit", "make", "model needs 21.7 KiB RAM, board microbit has 16 KiB"),
    ("tflm_mnist_lstm_int8", "nrf52840", "make", "UNIDIRECTIONAL_SEQUENCE_LSTM"),
    (HELLO, "mps2-an386", "arduino", "no Arduino board"),
    (HELLO, "no-such-board", "make", "unknown board 'no-such-board'"),
])
def test_refusals_write_nothing(tmp_path, model, board, layout, fragment):
    with pytest.raises(UserError, match=fragment):
        generate_project(model_path(model), board, layout, tmp_path / "out" / "project")
    assert list(tmp_path.iterdir()) == []
