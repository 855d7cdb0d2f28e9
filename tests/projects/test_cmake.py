"""The cmake layout builds with CMake and the generated toolchain file, as its README says."""
from __future__ import annotations

import pytest

from tests.projects.support import HELLO, KWS, STRICT_WARNINGS, generate, run


@pytest.mark.parametrize("board", ["nrf52840", "rp2040"])
@pytest.mark.parametrize("model", [HELLO, KWS])
def test_cmake_project_builds(tmp_path, board, model):
    result = generate(tmp_path, model, board, "cmake")
    directory = result.directory
    run(["cmake", "-B", "build", "-DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake"], cwd=directory)
    build = run(["cmake", "--build", "build", "--verbose"], cwd=directory)
    compile_lines = [line for line in build.stdout.splitlines() if " -c " in line]
    assert compile_lines and all(set(STRICT_WARNINGS) <= set(line.split()) for line in compile_lines)
    assert "warning" not in build.stderr
    assert (directory / "build" / "app.elf").is_file()
    assert "cmake -B build -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake && cmake --build build" in result.build_command


def test_cmake_semihosting_option(tmp_path):
    directory = generate(tmp_path, HELLO, "nrf52840", "cmake").directory
    run(["cmake", "-B", "build", "-DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake", "-DSEMIHOSTING=ON", "-DOPT=-O2"],
        cwd=directory)
    build = run(["cmake", "--build", "build", "--verbose"], cwd=directory)
    assert "-DMCU_SEMIHOSTING" in build.stdout and "rdimon.specs" in build.stdout and " -O2 " in build.stdout
    assert "retarget.c" not in build.stdout
