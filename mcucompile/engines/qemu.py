"""The QEMU engine: build the generated C for a board's core, run it bare-metal under
qemu-system-arm on the board's QEMU machine, feed raw inputs and collect raw outputs through
semihosting files, and count executed instructions exactly with a TCG plugin.

Where the firmware is linked. A board names the QEMU machine that has its core, but the board's
addresses are often not where that machine has memory (an STM32's flash at 0x08000000 does not
exist on mps2-an386). So the firmware is linked at the machine's addresses (the machine's own
board file, e.g. boards/mps2-an386.json) with the board's flash and RAM lengths, each capped by
what the machine has there. nrf52840 thus links into 1 MB of flash at 0x0 and 256 KB of RAM at
0x20000000 on mps2-an386: what would overflow the nRF52840 fails to link here too.

The one machine smaller than boards that use it is microbit (16 KB RAM; rp2040 has 264 KB).
Firmware that does not fit it but fits the board is linked again, unchanged ARMv6-M code, for
mps2-an385 (Cortex-M3), and the Firmware says so: instruction counts are the same, but unlike
microbit the M3 would not fault on an instruction ARMv6-M lacks.

Several models can go into one firmware (each with its own name prefix); one QEMU run then
runs all of them. See templates/qemu_main.c.j2 for the file formats and the marker sequence.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..boards import Board, Region, load_board
from ..codegen.model_source import GeneratedModel, generate_model, render_template
from ..codegen.project import write_sources
from ..errors import UserError
from ..firmware import DEFAULT_OPTIMISATION, HEAP_BYTES, STACK_BYTES, compile_flags, linker_script, startup_source
from ..firmware.build import compile_objects, required_tool
from ..ir import Model
from ..planning.plan import plan_memory
from .host import host_compiler

Invocations = list[list[np.ndarray]]

PLUGIN_SOURCE = Path(__file__).resolve().parent / "qemu_plugin" / "insn_count.c"
ARMV6M_FALLBACK_MACHINE = "mps2-an385"
RUN_TIMEOUT_SECONDS = 900
STATUS_MEANINGS = {3: "semihosting file I/O failed", 70: "the core faulted (HardFault)",
                   -6: "QEMU aborted: the core locked up (e.g. code for a larger core on microbit)"}


@dataclass(frozen=True)
class Firmware:
    elf: Path  # valid while the build directory exists
    board: Board  # as linked: the machine's origins, the board's lengths capped by the machine's
    machine: str
    models: tuple[GeneratedModel, ...]
    flash_bytes: int  # text + data
    ram_bytes: int  # data + bss, without the reserved stack and heap
    note: str | None  # set when the run machine is not the board's own (microbit fallback)


@dataclass(frozen=True)
class OperatorCost:
    index: int
    name: str
    instructions: int  # inside the operator's kernel call, beyond the cost of an empty kernel


@dataclass(frozen=True)
class ModelRun:
    outputs: list[Invocations]  # per input sequence, per invocation, per model output
    instructions: list[list[int]] | None  # per sequence, per invocation: one invoke() call
    operators: list[OperatorCost] | None  # from a hooked rerun of the first invocation


def machine_layout(board: Board, machine: str) -> Board:
    """The board as linked for `machine`: the machine's origins, the board's lengths capped."""
    host = load_board(machine)

    def placed(own: Region, there: Region) -> Region:
        return Region(own.name, there.origin, min(own.length, there.length), own.kind)

    return dataclasses.replace(board, memory=(placed(board.flash, host.flash), placed(board.ram, host.ram)))


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def _section_sizes(elf: Path) -> dict[str, int]:
    out = _run([required_tool("arm-none-eabi-size"), "-A", str(elf)], check=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def _sizes(elf: Path) -> tuple[int, int]:
    """(flash, RAM) as arm-none-eabi-size counts them (text + data, data + bss), without the
    stack and heap that the linker script reserves in RAM (they are NOLOAD sections counted as bss)."""
    out = _run([required_tool("arm-none-eabi-size"), str(elf)], check=True).stdout.splitlines()[1].split()
    text, data, bss = int(out[0]), int(out[1]), int(out[2])
    sections = _section_sizes(elf)
    return text + data, data + bss - sections.get(".stack", 0) - sections.get(".heap", 0)


def build_firmware(models: list[GeneratedModel], board: Board, directory: Path,
                   optimisation: str = DEFAULT_OPTIMISATION) -> Firmware:
    """Write and build the models with the QEMU harness for the board's core into directory."""
    sources: dict[str, Path] = {}
    for generated in models:
        sources.update((str(p), p) for p in write_sources(generated, directory))
    (directory / "qemu_main.c").write_text(render_template("qemu_main.c.j2", {"models": models}))
    (directory / "startup.c").write_text(startup_source(board))
    flags = [*compile_flags(board, optimisation), "-DMCU_SEMIHOSTING"]
    objects = compile_objects([*sorted(sources.values()), directory / "qemu_main.c", directory / "startup.c"],
                              [*flags, "-I", str(directory), "-I", str(directory / "include")],
                              directory / "objects")
    machines = [board.qemu_machine]
    if board.qemu_machine == "microbit":
        machines.append(ARMV6M_FALLBACK_MACHINE)
    overflow = ""
    for machine in machines:
        linked = machine_layout(board, machine)
        script = directory / f"linker_{machine}.ld"
        script.write_text(linker_script(linked))
        elf = directory / "firmware.elf"
        # newlib-nano keeps the harness's stdio small (about 6 KB less flash, 2 KB less RAM than
        # full newlib); the kernels' instruction counts are the same with either.
        result = _run([required_tool("arm-none-eabi-gcc"), *flags, "-T", str(script), "-nostartfiles", "--specs=nano.specs",
                       "--specs=rdimon.specs", "-Wl,--gc-sections", *map(str, objects), "-lm", "-o", str(elf)])
        if result.returncode == 0:
            flash, ram = _sizes(elf)
            note = None
            if machine != board.qemu_machine:
                note = (f"does not fit {board.qemu_machine}'s memory: ARMv6-M code run on {machine} (Cortex-M3), "
                        f"which does not trap instructions ARMv6-M lacks")
            return Firmware(elf, linked, machine, tuple(models), flash, ram, note)
        overflow = "; ".join(sorted(set(re.findall(r"region `\w+' overflowed by \d+ bytes", result.stderr))))
        if not overflow:
            raise RuntimeError(f"arm-none-eabi-gcc link failed:\n{result.stderr}")
    names = ", ".join(m.prefix for m in models)
    raise UserError(f"{names} does not fit {board.name} (with {STACK_BYTES} B stack and {HEAP_BYTES} B heap "
                    f"for the test harness): {overflow}")


def plugin_library() -> Path:
    """The instruction-counting plugin, compiled with the host compiler on first use and cached."""
    source = PLUGIN_SOURCE.read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mcucompile"
    library = cache / f"insn_count-{hashlib.sha256(source).hexdigest()[:16]}.so"
    if library.is_file():
        return library
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f"{library.name}.{os.getpid()}.tmp"
    result = _run([host_compiler(), "-O2", "-shared", "-fPIC", "-o", str(partial), str(PLUGIN_SOURCE)])
    if result.returncode != 0:
        raise RuntimeError(f"building the QEMU plugin failed:\n{result.stderr}")
    os.replace(partial, library)  # atomic: parallel test workers may race to build it
    return library


def _marker_address(elf: Path) -> int:
    out = _run([required_tool("arm-none-eabi-nm"), str(elf)], check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "mcu_qemu_marker":
            return int(parts[0], 16) & ~1  # the Thumb bit is not part of the address
    raise RuntimeError(f"{elf}: no mcu_qemu_marker symbol")


def _records(model: Model, raw: bytes, count: int, what: str) -> Invocations:
    tensors = [model.main.tensors[i] for i in model.main.outputs]
    size = sum(t.nbytes for t in tensors)
    if len(raw) != size * count:
        raise RuntimeError(f"{what}: {len(raw)} output bytes, expected {count} x {size}")
    records, position = [], 0
    for _ in range(count):
        step = []
        for tensor in tensors:
            step.append(np.frombuffer(raw[position:position + tensor.nbytes], dtype=tensor.dtype)
                        .reshape(tensor.shape).copy())
            position += tensor.nbytes
        records.append(step)
    return records


def run_firmware(firmware: Firmware, runs: list[tuple[Model, list[Invocations]]], directory: Path,
                 profile: bool = True) -> list[ModelRun]:
    """Run every model of the firmware on its input sequences (each: K invocations after a fresh
    init; all sequences of a model equally long) in one QEMU process."""
    if len(runs) != len(firmware.models):
        raise ValueError("one (model, sequences) entry per model of the firmware")
    work = Path(tempfile.mkdtemp(prefix="run-", dir=directory))
    for number, (model, sequences) in enumerate(runs):
        counts = {len(sequence) for sequence in sequences}
        if len(counts) != 1 or not sequences or 0 in counts:
            raise ValueError("every input sequence of a model must have the same number (>0) of invocations")
        records = [step for sequence in sequences for step in sequence] + [sequences[0][0]]
        header = np.array([len(sequences), counts.pop()], dtype="<u4").tobytes()
        (work / f"in{number}.bin").write_bytes(header + b"".join(
            np.ascontiguousarray(x, dtype=model.main.tensors[t].dtype).tobytes()
            for step in records for x, t in zip(step, model.main.inputs)))
    command = [required_tool("qemu-system-arm"), "-M", firmware.machine, "-nographic", "-monitor", "none", "-serial", "none",
               "-semihosting-config", "enable=on,target=native", "-kernel", str(firmware.elf)]
    counts_path = work / "instructions.txt"
    if profile:
        command += ["-plugin", f"{plugin_library()},marker={_marker_address(firmware.elf):x},out={counts_path}"]
    try:
        result = _run(command, cwd=work, timeout=RUN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"QEMU ({firmware.machine}) did not finish within {RUN_TIMEOUT_SECONDS} s") from None
    if result.returncode != 0:
        meaning = STATUS_MEANINGS.get(result.returncode, "")
        raise RuntimeError(f"QEMU ({firmware.machine}) exited with status {result.returncode}"
                           f"{': ' + meaning if meaning else ''}\n{result.stdout}{result.stderr}")
    snapshots = [int(line) for line in counts_path.read_text().split()] if profile else []
    if profile:
        marker_cost = snapshots[1] - snapshots[0]
        empty_operator = snapshots[3] - snapshots[2]
        position = 4
    results = []
    for number, (model, sequences) in enumerate(runs):
        k = len(sequences[0])
        records = _records(model, (work / f"out{number}.bin").read_bytes(), len(sequences) * k + 1,
                           firmware.models[number].prefix)
        if any(a.tobytes() != b.tobytes() for a, b in zip(records[-1], records[0])):
            raise RuntimeError(f"{firmware.models[number].prefix}: the hooked invoke gave other outputs than invoke")
        outputs = [records[s * k:(s + 1) * k] for s in range(len(sequences))]
        instructions = operators = None
        if profile:
            names = (work / f"ops{number}.txt").read_text().splitlines()
            marks = snapshots[position:position + 2 * len(sequences) * k + 2 * len(names)]
            position += len(marks)
            pairs = [marks[i + 1] - marks[i] for i in range(0, len(marks), 2)]
            per_invocation = [pair - marker_cost for pair in pairs[:len(sequences) * k]]
            instructions = [per_invocation[s * k:(s + 1) * k] for s in range(len(sequences))]
            operators = [OperatorCost(i, name, pair - empty_operator)
                         for i, (name, pair) in enumerate(zip(names, pairs[len(sequences) * k:]))]
        results.append(ModelRun(outputs, instructions, operators))
    if profile and position != len(snapshots):
        raise RuntimeError(f"the plugin recorded {len(snapshots)} marker entries, expected {position}")
    return results


def generate_for_board(name: str, model: Model, board: Board) -> GeneratedModel:
    return generate_model(model, plan_memory(model, alignment=board.alignment), name, name)


def run_qemu_batch(cases: list[tuple[str, Model, list[Invocations]]], board: Board,
                   profile: bool = True) -> tuple[Firmware, list[ModelRun]]:
    """Build every (name, model, input sequences) case into one firmware for the board and run it."""
    generated = [generate_for_board(name, model, board) for name, model, _ in cases]
    with tempfile.TemporaryDirectory(prefix="mcucompile-qemu-") as temporary:
        firmware = build_firmware(generated, board, Path(temporary))
        runs = run_firmware(firmware, [(model, sequences) for _, model, sequences in cases], Path(temporary), profile)
    return firmware, runs


def run_qemu(model: Model, invocations: Invocations, board: Board, name: str = "model") -> Invocations:
    """K consecutive invocations (state carried between them) on the board's QEMU machine."""
    return run_qemu_batch([(name, model, [invocations])], board, profile=False)[1][0].outputs[0]
