"""Benchmark: flash bytes of the generated C for Cortex-M4 (-O2, gc-sections), per model, split
by where each linked section comes from (the linker map): runtime code (the runtime_c kernels and
interpreter, and the model's init/invoke glue), model data (weights, parameter records, op
table), C library pieces, and RAM (arena + state).

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
BUILD_FLAGS = ["-std=c99", "-O2", "-ffp-contract=off", "-ffunction-sections", "-fdata-sections",
               "-Wall", "-Wextra", "-Werror"]

MAIN = """#include "{prefix}.h"
int main(void) {{ {prefix}_init(); return {prefix}_invoke(); }}
"""


def section_sizes(map_file: Path) -> list[tuple[str, int, str]]:
    """(section name, size, input object) of every input section the link kept."""
    rows, pending = [], None
    for line in map_file.read_text().splitlines():
        if line.startswith("Discarded input sections"):
            rows, pending = [], None  # everything above this line was dropped by gc-sections
            continue
        if line.startswith("Memory Configuration"):
            continue
        parts = line.split()
        if len(parts) == 1 and line.startswith(" ."):
            pending = parts[0]  # a long section name: its address and size follow on the next line
            continue
        if pending is not None and len(parts) == 3 and parts[0].startswith("0x"):
            rows.append((pending, int(parts[1], 16), parts[2]))
        elif len(parts) == 4 and line.startswith(" .") and parts[1].startswith("0x"):
            rows.append((parts[0], int(parts[2], 16), parts[3]))
        pending = None
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
        objects = []
        for source in [*c_files, directory / "main.c"]:
            # Objects named after their origin, so the linker map attributes every section.
            name = source.relative_to(directory).with_suffix(".o").as_posix().replace("/", "_")
            objects.append(directory / "objects" / name)
            objects[-1].parent.mkdir(exist_ok=True)
            subprocess.run(["arm-none-eabi-gcc", *M4_FLAGS, *BUILD_FLAGS, "-I", str(directory), "-I",
                            str(directory / "include"), "-c", str(source), "-o", str(objects[-1])],
                           check=True, capture_output=True, text=True)
        subprocess.run(["arm-none-eabi-gcc", *M4_FLAGS, *map(str, objects), "--specs=nosys.specs",
                        "-Wl,--gc-sections", f"-Wl,-Map={directory / 'model.map'}", "-lm", "-o", str(elf)],
                       check=True, capture_output=True, text=True)
        sizes = {"runtime_code": 0, "model_data": 0, "libc": 0, "ram": 0}
        for section, size, source in section_sizes(directory / "model.map"):
            model_object = source.endswith(f"/{generated.prefix}.o")
            if section.startswith((".bss", ".data")) and model_object:
                sizes["ram"] += size  # arena, state and flags
            elif section.startswith((".text", ".rodata")) and "/objects/runtime_" in source:
                sizes["runtime_code"] += size
            elif section.startswith(".text") and model_object:
                sizes["runtime_code"] += size  # the model's init/invoke/reset glue
            elif section.startswith(".rodata") and model_object:
                sizes["model_data"] += size
            elif section.startswith((".text", ".rodata")) and ".a(" in source:
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
