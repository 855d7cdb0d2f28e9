"""`mcucompile verify`: run a model's generated C on the board's core under QEMU and compare every
output byte with the Python reference kernels and with TFLM; report flash, RAM and instructions."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .boards import Board
from .engines.qemu import Invocations, run_qemu_batch
from .firmware import DEFAULT_OPTIMISATION
from .errors import UserError
from .executor import Executor
from .ir import Graph, Model
from .pipeline import load_model
from .planning.plan import plan_memory

# Float kernels that call expf/tanhf from libm: newlib's, glibc's and TFLM's libm may differ in the
# last place, so their float outputs may differ by this many units in the last place (ULP).
LIBM_KINDS = {"SOFTMAX", "LOGISTIC", "TANH"}
LIBM_MAX_ULP = 2
# Operators that hand their input's values through unchanged.
VALUE_PRESERVING = {"RESHAPE", "SQUEEZE", "EXPAND_DIMS"}


@dataclass(frozen=True)
class Mismatch:
    oracle: str
    sequence: int
    invocation: int
    output: int
    differing: int  # elements beyond the tolerance
    elements: int
    first: list[int]  # flat indices of the first differing elements
    ours: list
    theirs: list
    largest: float | None  # largest difference: absolute, or in ULP for a tolerant float output
    unit: str

    def describe(self) -> str:
        where = f"input {self.sequence} invocation {self.invocation} output {self.output}"
        if self.largest is None:
            return f"{where}: {self.unit.strip()}"
        return (f"{where}: {self.differing} of {self.elements} elements differ from {self.oracle} (largest "
                f"{self.largest:g}{self.unit}); first at {self.first}: ours {self.ours}, {self.oracle} {self.theirs}")


def random_input(shape, dtype: str, rng: np.random.Generator) -> np.ndarray:
    """Values over the whole range of an integer type; floats in [-4, 4]."""
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype == "float32":
        return rng.uniform(-4.0, 4.0, size=shape).astype(np.float32)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)


def random_sequences(graph: Graph, seed: int, sequences: int, invocations: int) -> list[Invocations]:
    rng = np.random.default_rng(seed)
    return [[[random_input(graph.tensors[i].shape, graph.tensors[i].dtype, rng) for i in graph.inputs]
             for _ in range(invocations)] for _ in range(sequences)]


def reference_outputs(model: Model, sequences: list[Invocations], alignment: int = 4) -> list[Invocations]:
    executor = Executor(model, plan_memory(model, alignment=alignment))
    results = []
    for sequence in sequences:
        executor.reset()
        results.append([executor.invoke(inputs) for inputs in sequence])
    return results


def tflm_arena_bytes(model_bytes: bytes, model: Model) -> int:
    """An arena generous enough for TFLM's interpreter on any model (it fails when too small)."""
    activations = sum(t.nbytes for g in model.graphs for t in g.tensors if not t.is_constant)
    return max(256 * 1024, 16 * len(model_bytes), 2 * activations + 64 * 1024)


def tflm_outputs(model_bytes: bytes, model: Model, sequences: list[Invocations]) -> list[Invocations]:
    """TFLM's interpreter (reference kernels), a fresh one per input sequence."""
    try:
        from tflite_micro import runtime
    except ImportError:
        raise UserError("verify compares with TFLM: install the tflite-micro package "
                        "(pip install 'mcucompile[test]')") from None
    arena = tflm_arena_bytes(model_bytes, model)
    results = []
    for sequence in sequences:
        interpreter = runtime.Interpreter.from_bytes(model_bytes, arena_size=arena)
        steps = []
        for inputs in sequence:
            for i, value in enumerate(inputs):
                interpreter.set_input(value, i)
            interpreter.invoke()
            steps.append([np.array(interpreter.get_output(j)) for j in range(len(model.main.outputs))])
        results.append(steps)
    return results


def libm_outputs(graph: Graph) -> set[int]:
    """Positions of the float32 outputs computed by a libm-calling kernel (through reshapes)."""
    producer = {t: op for op in graph.operators for t in op.outputs}
    tolerant = set()
    for j, index in enumerate(graph.outputs):
        op = producer.get(index)
        while op is not None and op.kind in VALUE_PRESERVING:
            op = producer.get(op.inputs[0])
        if op is not None and op.kind in LIBM_KINDS and graph.tensors[index].dtype == "float32":
            tolerant.add(j)
    return tolerant


def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance in float32 units in the last place (0 for identical bit patterns)."""
    ia = a.astype(np.float32).view(np.int32).astype(np.int64)
    ib = b.astype(np.float32).view(np.int32).astype(np.int64)
    ia = np.where(ia < 0, np.int64(-(1 << 31)) - ia, ia)
    ib = np.where(ib < 0, np.int64(-(1 << 31)) - ib, ib)
    return np.abs(ia - ib)


def compare_outputs(ours: list[Invocations], theirs: list[Invocations], oracle: str,
                    tolerant: set[int] = frozenset()) -> tuple[list[Mismatch], int]:
    """Every output of every invocation: identical bytes, or within LIBM_MAX_ULP for the tolerant
    output positions. Returns the mismatches and the largest ULP distance seen on tolerant outputs."""
    mismatches, worst_ulp = [], 0
    for s, (our_steps, their_steps) in enumerate(zip(ours, theirs)):
        for k, (our_outputs, their_outputs) in enumerate(zip(our_steps, their_steps)):
            for j, (a, b) in enumerate(zip(our_outputs, their_outputs)):
                b = np.asarray(b)
                if b.dtype != a.dtype or b.size != a.size:
                    mismatches.append(Mismatch(oracle, s, k, j, a.size, a.size, [], [], [], None,
                                               f"{oracle} gives {b.dtype}[{b.size}], ours {a.dtype}[{a.size}]"))
                    continue
                a, b = a.ravel(), b.ravel()
                if a.size == 0:
                    continue
                if j in tolerant:
                    distance = ulp_distance(a, b)
                    worst_ulp = max(worst_ulp, int(distance.max(initial=0)))
                    bad, unit = np.flatnonzero(distance > LIBM_MAX_ULP), " ULP"
                    largest = float(distance.max(initial=0))
                else:
                    a_bytes, b_bytes = a.view(np.uint8).reshape(a.size, -1), b.view(np.uint8).reshape(b.size, -1)
                    bad, unit = np.flatnonzero(np.any(a_bytes != b_bytes, axis=1)), ""
                    largest = float(np.max(np.abs(a[bad].astype(np.float64) - b[bad].astype(np.float64)),
                                           initial=0.0))
                if bad.size:
                    first = bad[:5]
                    mismatches.append(Mismatch(oracle, s, k, j, int(bad.size), int(a.size), first.tolist(),
                                               a[first].tolist(), b[first].tolist(), largest, unit))
    return mismatches, worst_ulp


def verify_model(path: Path, board: Board, seed: int = 0, sequences: int = 3, invocations: int = 3) -> dict:
    """Build for the board, run under QEMU, compare with the Python reference and TFLM."""
    if sequences < 1 or invocations < 1:
        raise UserError("--inputs and --invocations must be at least 1")
    model = load_model(path)
    inputs = random_sequences(model.main, seed, sequences, invocations)
    expected_tflm = tflm_outputs(Path(path).read_bytes(), model, inputs)
    expected_reference = reference_outputs(model, inputs, board.alignment)
    firmware, (run,) = run_qemu_batch([(Path(path).stem, model, inputs)], board)
    tolerant = libm_outputs(model.main)
    against_reference, ulp_reference = compare_outputs(run.outputs, expected_reference, "the Python reference",
                                                       tolerant)
    against_tflm, ulp_tflm = compare_outputs(run.outputs, expected_tflm, "TFLM", tolerant)
    mismatches = against_reference + against_tflm
    generated = firmware.models[0]
    flat = [count for sequence in run.instructions for count in sequence]
    return {
        "model": str(path), "board": board.name, "core": board.core, "qemu_machine": firmware.machine,
        "note": firmware.note, "optimisation": DEFAULT_OPTIMISATION,
        "linked": {r.kind: {"origin": r.origin, "length": r.length} for r in firmware.board.memory},
        "seed": seed, "inputs": sequences, "invocations": invocations,
        "outputs_compared": sequences * invocations * len(model.main.outputs),
        "bitexact": not mismatches,
        "libm_outputs": sorted(tolerant), "libm_max_ulp": LIBM_MAX_ULP if tolerant else 0,
        "largest_ulp_seen": max(ulp_reference, ulp_tflm),
        "mismatches": [asdict(m) | {"description": m.describe()} for m in mismatches],
        "flash_bytes": firmware.flash_bytes, "ram_bytes": firmware.ram_bytes,
        "arena_bytes": generated.arena_bytes, "state_bytes": generated.state_bytes,
        "instructions": max(flat), "instructions_min": min(flat), "instructions_per_invocation": run.instructions,
        "operators": [asdict(op) for op in run.operators],
    }


def format_verify_report(report: dict) -> str:
    linked = report["linked"]
    lines = [f"{Path(report['model']).name} on {report['board']}: {report['core']} code ({report['optimisation']}) "
             f"run on QEMU {report['qemu_machine']}, linked into {linked['flash']['length']:,} B flash at "
             f"0x{linked['flash']['origin']:08X} and {linked['ram']['length']:,} B RAM at "
             f"0x{linked['ram']['origin']:08X}"]
    if report["note"]:
        lines.append(f"note: {report['note']}")
    shape = f"{report['inputs']} input(s) x {report['invocations']} invocation(s)"
    if report["bitexact"]:
        verdict = f"bit-exact: yes, {report['outputs_compared']} outputs ({shape}) equal the Python reference and TFLM"
        if report["libm_outputs"]:
            verdict += (f"; float output(s) {report['libm_outputs']} come from a libm-calling kernel (float "
                        f"SOFTMAX/LOGISTIC/TANH) and may differ by at most {report['libm_max_ulp']} ULP "
                        f"(largest seen: {report['largest_ulp_seen']} ULP)")
        lines.append(verdict)
    else:
        lines.append(f"bit-exact: NO, {len(report['mismatches'])} of {2 * report['outputs_compared']} comparisons "
                     f"({shape}, each output with the Python reference and with TFLM) differ:")
        lines += [f"  {m['description']}" for m in report["mismatches"]]
    lines.append(f"flash {report['flash_bytes']:,} B (text+data), static RAM {report['ram_bytes']:,} B (data+bss), "
                 f"arena {report['arena_bytes']:,} B, state {report['state_bytes']:,} B")
    lines.append(f"instructions per inference: {report['instructions']:,} (the most over "
                 f"{report['inputs'] * report['invocations']} invocations; the least {report['instructions_min']:,})")
    lines.append("per operator (instructions inside its kernel):")
    total = max(report["instructions"], 1)
    lines += [f"  {op['name']:<32} {op['instructions']:>14,} {100 * op['instructions'] / total:6.1f}%"
              for op in report["operators"]]
    return "\n".join(lines)
