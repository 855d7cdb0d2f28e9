"""Benchmark: flash bytes of the generated C for Cortex-M4 (-Os, gc-sections), per model,
split into runtime code (the mcu_* kernels and interpreter), model data (weights, parameter
records, op table: the <prefix>_* symbols), C library pieces, and RAM (arena + state).

Usage: python3 benchmarks/code_size.py [MODELS_DIR]
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from mcucompile.codegen.model_source import generate_model
from mcucompile.codegen.project import write_sources
from mcucompile.errors import UserError
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory

M4_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
BUILD_FLAGS = ["-std=c99", "-Os", "-ffp-contract=off", "-ffunction-sections", "-fdata-sections",
               "-Wall", "-Wextra", "-Werror"]

MAIN = """#include "{prefix}.h"
int main(void) {{ {prefix}_init(); return {prefix}_invoke(); }}
"""


def symbol_sizes(elf: Path) -> list[tuple[str, str, int]]:
    """(name, nm type, size) of every sized symbol."""
    out = subprocess.run(["arm-none-eabi-nm", "-S", "--size-sort", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            rows.append((parts[3], parts[2], int(parts[1], 16)))
    return rows


def measure(path: Path) -> dict[str, int] | str:
    try:
        model = load_model(path)
        generated = generate_model(model, plan_memory(model), path.stem, path.name)
    except UserError as exc:
        return str(exc)
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        c_files = write_sources(generated, directory)
        (directory / "main.c").write_text(MAIN.format(prefix=generated.prefix))
        elf = directory / "model.elf"
        subprocess.run(["arm-none-eabi-gcc", *M4_FLAGS, *BUILD_FLAGS, "-I", str(directory), "-I",
                        str(directory / "include"), *map(str, c_files), str(directory / "main.c"),
                        "--specs=nosys.specs", "-Wl,--gc-sections", "-lm", "-o", str(elf)],
                       check=True, capture_output=True, text=True)
        sizes = {"runtime_code": 0, "model_data": 0, "libc": 0, "ram": 0}
        for name, kind, size in symbol_sizes(elf):
            if kind in "bBdD" and name.startswith(generated.prefix):
                sizes["ram"] += size  # arena, state and flags
            elif name.startswith(generated.prefix) and kind in "rR":
                sizes["model_data"] += size
            elif name.startswith("mcu_"):
                sizes["runtime_code"] += size
            elif name.startswith(generated.prefix) and kind in "tT":
                sizes["runtime_code"] += size  # the model's init/invoke/reset glue
            elif kind in "tTrR" and name != "main":
                sizes["libc"] += size
        return sizes


def main() -> None:
    models_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "models"
    print("| model | runtime code B | model data B | libc B | RAM (arena+state) B |")
    print("|---|---:|---:|---:|---:|")
    for path in sorted(models_dir.glob("*.tflite")):
        result = measure(path)
        if isinstance(result, str):
            print(f"| {path.stem} | not compiled: {result[:70]} | | | |")
        else:
            print(f"| {path.stem} | {result['runtime_code']:,} | {result['model_data']:,} | {result['libc']:,} | "
                  f"{result['ram']:,} |")


if __name__ == "__main__":
    main()
