"""Benchmark: every supported corpus model on Cortex-M4F (QEMU mps2-an386), against TFLM.

Per model, one firmware of its own built by the QEMU engine (the semihosting harness included):
flash (text+data) and static RAM (data+bss) of the ELF, arena (+ state), exact instructions of one
inference (the most over three seeded invocations) and MACs per instruction; beside them TFLM's
measured figures (../shared/baselines/tflm_cortex_m4.json) as ratios ours / TFLM with reference
kernels and ours / TFLM with CMSIS-NN. Prints a Markdown table.

Usage: python3 benchmarks/cortex_m4.py [MODELS_DIR] [BASELINE_JSON]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from mcucompile.analysis import operator_macs
from mcucompile.boards import load_board
from mcucompile.engines.qemu import run_qemu_batch
from mcucompile.firmware import DEFAULT_OPTIMISATION
from mcucompile.errors import UserError
from mcucompile.pipeline import load_model
from mcucompile.reader import read_model_file
from mcucompile.verify import random_sequences

SHARED = Path(__file__).resolve().parents[2] / "shared"
BOARD = "mps2-an386"
KERNELS = ("tflm_reference_kernels", "tflm_cmsis_nn")


def ratios(ours: int, baseline: dict | None, key: str) -> str:
    if baseline is None:
        return "–"
    return " / ".join(f"{ours / baseline[kernels][key]:.2f}" for kernels in KERNELS)


def main() -> None:
    models_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "models"
    baseline_path = Path(sys.argv[2]) if len(sys.argv) > 2 else SHARED / "baselines" / "tflm_cortex_m4.json"
    baselines = json.loads(baseline_path.read_text())["models"]
    board = load_board(BOARD)
    print(f"Cortex-M4F, QEMU {BOARD}, arm-none-eabi-gcc {DEFAULT_OPTIMISATION}. Ratios: ours / TFLM reference kernels "
          f"/ ours / TFLM CMSIS-NN. Our flash and RAM include the test harness (semihosting file I/O "
          f"through newlib-nano stdio).\n")
    print("| model | MACs | flash B | static RAM B | arena (+state) B | instructions | MACs / instr | "
          "flash ratio | RAM ratio | arena ratio | instructions ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in sorted(models_dir.glob("*.tflite")):
        try:
            model = load_model(path)
        except UserError:
            continue
        original = read_model_file(path).main
        macs = sum(operator_macs(op, original) for op in original.operators)
        inputs = random_sequences(model.main, 0, 1, 3)
        firmware, (run,) = run_qemu_batch([(path.stem, model, inputs)], board)
        generated = firmware.models[0]
        instructions = max(run.instructions[0])
        arena = generated.arena_bytes + generated.state_bytes
        arena_text = f"{generated.arena_bytes:,}" + (f" + {generated.state_bytes:,}" if generated.state_bytes else "")
        baseline = baselines.get(path.stem)
        print(f"| {path.stem} | {macs:,} | {firmware.flash_bytes:,} | {firmware.ram_bytes:,} | {arena_text} | "
              f"{instructions:,} | {macs / instructions:.3f} | {ratios(firmware.flash_bytes, baseline, 'flash')} | "
              f"{ratios(firmware.ram_bytes, baseline, 'static_ram')} | {ratios(arena, baseline, 'arena')} | "
              f"{ratios(instructions, baseline, 'instructions')} |")


if __name__ == "__main__":
    main()
