"""The make layout: for every board, the hello-world and KWS projects build with their own
Makefile (-Wall -Wextra -Werror); a semihosting build runs under QEMU and prints that its outputs
match the reference."""
from __future__ import annotations

import re
import subprocess

import pytest

from mcucompile import __version__
from mcucompile.boards import board_names, load_board
from tests.projects.support import HELLO, KWS, MATCH_LINE, MISMATCH_LINE, STRICT_WARNINGS, generate, run

# Every board with both models, except where the model does not fit (tests/test_fit.py and the
# CLI tests check that refusal).
DOES_NOT_FIT = {("microbit", KWS)}
CASES = [(board, model) for board in board_names() for model in (HELLO, KWS) if (board, model) not in DOES_NOT_FIT]


@pytest.mark.parametrize("board,model", CASES)
def test_make_project_builds(tmp_path, board, model):
    result = generate(tmp_path, model, board)
    build = run(["make", "-C", str(result.directory)])
    compile_lines = [line for line in build.stdout.splitlines() if " -c " in line]
    assert compile_lines and all(set(STRICT_WARNINGS) <= set(line.split()) for line in compile_lines)
    assert "-std=c99" in compile_lines[0] and "-O2" in compile_lines[0] and "-ffp-contract=off" in compile_lines[0]
    assert "warning" not in build.stderr
    assert re.search(r"FLASH:\s+\d+ B", build.stdout), "no --print-memory-usage report"
    assert (result.directory / "build" / "app.elf").is_file()
    assert result.build_command == f"make -C {result.directory}"


def test_make_targets_and_options(tmp_path):
    directory = generate(tmp_path, HELLO, "stm32f446re").directory
    run(["make", "-C", str(directory), "OPT=-Os"])
    assert "-Os" in (directory / "build" / "flags").read_text()
    again = run(["make", "-C", str(directory), "OPT=-Os"])
    assert " -c " not in again.stdout, "nothing changed, yet make rebuilt"
    size = run(["make", "-C", str(directory), "size"])
    assert ".text" in size.stdout and " -O2 " in size.stdout, "back to the default flags: rebuilt"
    switched = run(["make", "-C", str(directory), "SEMIHOSTING=1"])
    assert "-DMCU_SEMIHOSTING" in switched.stdout and "rdimon.specs" in switched.stdout
    assert "retarget" not in switched.stdout
    run(["make", "-C", str(directory), "clean"])
    assert not (directory / "build").exists()


def run_under_qemu(directory, board_name: str) -> subprocess.CompletedProcess:
    """Build with SEMIHOSTING=1 and run on the board's QEMU machine; the exit status is main's."""
    run(["make", "-C", str(directory), "SEMIHOSTING=1"])
    machine = load_board(board_name).qemu_machine
    return subprocess.run(["qemu-system-arm", "-M", machine, "-nographic", "-monitor", "none", "-serial", "none",
                           "-semihosting-config", "enable=on,target=native", "-kernel",
                           str(directory / "build" / "app.elf")], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("board,model,counter", [
    ("mps2-an386", HELLO, "cycles: not counted (DWT CYCCNT"),  # QEMU does not model the DWT
    ("microbit", HELLO, "SysTick"),  # Cortex-M0: SysTick, which QEMU runs on (coarse) virtual time
    ("mps2-an500", "mlperf_ic_resnet8_fp32", "cycles: not counted (DWT CYCCNT"),  # float outputs: printf %g, ULPs
])
def test_example_runs_under_qemu_and_matches(tmp_path, board, model, counter):
    result = generate(tmp_path, model, board)
    qemu = run_under_qemu(result.directory, board)
    assert qemu.returncode == 0, qemu.stdout + qemu.stderr
    output = qemu.stdout
    lines = output.splitlines()
    assert lines[0] == f"{model} on {board} (mcucompile {__version__})"
    assert lines[1].startswith("output 0 (")
    assert counter in output
    assert lines[-1] == MATCH_LINE


def test_example_reports_a_mismatch(tmp_path):
    directory = generate(tmp_path, HELLO, "mps2-an386").directory
    vector = directory / "src" / "test_vector.c"
    text = vector.read_text()
    expected = re.search(r"expected_output_0\[[A-Z0-9_]+\] = \{\n    (\d+)", text)
    wrong = (int(expected.group(1)) + 1) % 256
    vector.write_text(text[:expected.start(1)] + str(wrong) + text[expected.end(1):])
    qemu = run_under_qemu(directory, "mps2-an386")
    assert qemu.stdout.splitlines()[-1] == MISMATCH_LINE
    assert qemu.returncode == 1, "main returns 1 on a mismatch"
