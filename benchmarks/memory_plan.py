"""Benchmark: mcucompile's static memory plan against TFLM's arena, per corpus model.

Prints a Markdown table: our activation arena, its lower bound and the gap; persistent RAM
(resource variables); TFLM's arena split into head (activations) and tail (persistent data),
measured with the tflite-micro interpreter on this 64-bit host; and the ratios the planner is
judged by. Usage: python3 benchmarks/memory_plan.py [MODELS_DIR]
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from mcucompile.errors import UserError
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory

_TFLM_PROBE = """
import sys
from tflite_micro import runtime
interpreter = runtime.Interpreter.from_file(sys.argv[1], arena_size=4 * 1024 * 1024)
interpreter.print_allocations()
"""


def tflm_arena(path: Path) -> tuple[int, int] | None:
    """(head, tail) bytes of TFLM's arena; in a child process, since TFLM prints from C."""
    result = subprocess.run([sys.executable, "-c", _TFLM_PROBE, str(path)], capture_output=True, text=True)
    head = re.search(r"Arena allocation head (\d+)", result.stderr)
    tail = re.search(r"Arena allocation tail (\d+)", result.stderr)
    return (int(head.group(1)), int(tail.group(1))) if head and tail else None


def main() -> None:
    models_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "models"
    paths = sorted(models_dir.glob("*.tflite")) + sorted((models_dir / "seanet").glob("*.tflite"))
    print("| model | arena B | lower bound B | gap B | state B | TFLM head B | TFLM tail B | arena / head | (arena+state) / (head+tail) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in paths:
        name = path.relative_to(models_dir).with_suffix("").as_posix()
        try:
            model = load_model(path)
        except UserError as exc:
            print(f"| {name} | not supported: {str(exc)[:60]} | | | | | | | |")
            continue
        plan = plan_memory(model)
        tflm = tflm_arena(path)
        if tflm is None:
            print(f"| {name} | {plan.arena_bytes:,} | {plan.lower_bound_bytes:,} | {plan.gap_bytes:,} | "
                  f"{plan.state_bytes:,} | TFLM failed | | | |")
            continue
        head, tail = tflm
        ours_total = plan.arena_bytes + plan.state_bytes
        print(f"| {name} | {plan.arena_bytes:,} | {plan.lower_bound_bytes:,} | {plan.gap_bytes:,} | "
              f"{plan.state_bytes:,} | {head:,} | {tail:,} | {plan.arena_bytes / head:.3f} | "
              f"{ours_total / (head + tail):.3f} |")


if __name__ == "__main__":
    main()
