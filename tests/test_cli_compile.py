"""The front door: `mcucompile MODEL --board BOARD` (and `mcucompile compile ...`), run as a user
runs it; `mcucompile boards`; the output directory rules seen from the command line."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.corpus import model_path
from tests.test_cli import assert_clean_error

HELLO = model_path("tflm_hello_world_int8")
KWS = model_path("mlperf_kws_dscnn_int8")


def mcucompile(*args, cwd=None):
    return subprocess.run([sys.executable, "-c", "from mcucompile.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def snapshot(directory):
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_bare_form_writes_the_default_directory(tmp_path):
    result = mcucompile(HELLO, "--board", "nrf52840", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "tflm_hello_world_int8_nrf52840"
    assert (project / "Makefile").is_file() and (project / ".mcucompile.json").is_file()
    lines = result.stdout.splitlines()
    assert lines[0] == ("tflm_hello_world_int8_nrf52840/: make project for nrf52840 (Nordic nRF52840-DK) "
                        "from tflm_hello_world_int8.tflite")
    assert lines[1].startswith("  flash ") and "of 1,048,576 B (" in lines[1]
    assert lines[2].startswith("  RAM ") and "of 262,144 B (" in lines[2]
    assert lines[3] == "build it: make -C tflm_hello_world_int8_nrf52840"
    assert result.stderr == ""


@pytest.mark.parametrize("arguments", [
    ["compile", HELLO, "--board", "rp2040", "-o", "out"],
    ["--board", "rp2040", HELLO, "-o", "out"],
    [HELLO, "--board", "rp2040", "--project", "cmake", "-o", "out"],
])
def test_compile_spellings(tmp_path, arguments):
    result = mcucompile(*arguments, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / ".mcucompile.json").is_file()


def test_unknown_subcommand_stays_an_error(tmp_path):
    result = mcucompile("inpsect", HELLO, cwd=tmp_path)
    assert result.returncode == 2 and "No such command 'inpsect'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_subcommands_still_work():
    assert "MACs" in mcucompile("inspect", HELLO).stdout
    assert "version 0.1.0" in mcucompile("--version").stdout


def test_boards_command():
    result = mcucompile("boards")
    assert result.returncode == 0
    assert "nrf52840     cortex-m4      fpv4-sp-d16" in result.stdout and "mps2-an386" in result.stdout


def test_fit_failure_gives_the_numbers_and_writes_nothing(tmp_path):
    result = mcucompile(KWS, "--board", "microbit", cwd=tmp_path)
    assert_clean_error(result, "error: model needs 21.7 KiB RAM, board microbit has 16 KiB")
    assert list(tmp_path.iterdir()) == []


def test_unsupported_model_writes_nothing(tmp_path):
    result = mcucompile(model_path("tflm_mnist_lstm_int8"), "--board", "nrf52840", "-o", tmp_path / "a" / "b")
    assert_clean_error(result, "UNIDIRECTIONAL_SEQUENCE_LSTM #0")
    assert list(tmp_path.iterdir()) == []


def test_missing_board_option(tmp_path):
    result = mcucompile(HELLO, cwd=tmp_path)
    assert result.returncode == 2 and "Missing option '--board'" in result.stderr


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_foreign_directory_untouched(tmp_path, force):
    target = tmp_path / "work"
    (target / "src").mkdir(parents=True)
    (target / "src" / "main.c").write_text("int main(void) { return 0; }\n")
    before = snapshot(tmp_path)
    result = mcucompile(HELLO, "--board", "nrf52840", "-o", target, *force)
    assert_clean_error(result, "is not empty and mcucompile did not make it")
    assert snapshot(tmp_path) == before


def test_own_directory_replaced_only_with_force(tmp_path):
    target = tmp_path / "project"
    assert mcucompile(HELLO, "--board", "nrf52840", "-o", target).returncode == 0
    (target / "notes.txt").write_text("scratch")
    before = snapshot(tmp_path)
    result = mcucompile(HELLO, "--board", "stm32f446re", "-o", target)
    assert_clean_error(result, "already holds a project mcucompile made; pass --force")
    assert snapshot(tmp_path) == before
    result = mcucompile(HELLO, "--board", "stm32f446re", "-o", target, "--force")
    assert result.returncode == 0, result.stderr
    assert not (target / "notes.txt").exists()
    assert '"board": "stm32f446re"' in (target / ".mcucompile.json").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["project"], "no temporary directory left beside it"


def test_force_does_not_replace_after_a_failure(tmp_path):
    target = tmp_path / "project"
    assert mcucompile(HELLO, "--board", "microbit", "-o", target).returncode == 0
    before = snapshot(tmp_path)
    result = mcucompile(KWS, "--board", "microbit", "-o", target, "--force")
    assert_clean_error(result, "needs 21.7 KiB RAM")
    assert snapshot(tmp_path) == before
