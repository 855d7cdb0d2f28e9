"""The generated C on Cortex-M0 to M55 under QEMU: every output byte-identical with the Python
reference and with TFLM, several input sequences of consecutive invocations each (state carried
within a sequence, fresh init between them), and exact, repeatable instruction counts."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

from mcucompile.boards import Region, load_board
from mcucompile.engines.qemu import build_firmware, generate_for_board, machine_layout, run_firmware, run_qemu_batch
from mcucompile.errors import UserError
from mcucompile.pipeline import load_model
from tests.support.compare import random_invocations, run_optimised, ulp_distance
from tests.support.corpus import MODELS_DIR, SUPPORTED_WHOLE_MODELS, model_path, seanet_models
from tests.support.tflm import run_tflm

SEQUENCES = 3
INVOCATIONS = 3
# Float SOFTMAX calls expf from libm: newlib's, glibc's and TFLM's may differ in the last place.
LIBM_MAX_ULP = {"mlperf_ic_resnet8_fp32": 2}

WHOLE = [(name, model_path(name)) for name in SUPPORTED_WHOLE_MODELS]
SEANET = [(f"seanet_{name}", MODELS_DIR / "seanet" / f"{name}.tflite") for name in seanet_models()]
REPRESENTATIVE = [(name, model_path(name)) for name in (
    "tflm_hello_world_int8", "mlperf_kws_dscnn_int8", "mlperf_ic_resnet8_int8", "tflm_person_detect_int8",
    "mww_hey_jarvis", "tiny_cnn_int16x8")]
# The representative models whose firmware fits microbit's 16 KB of RAM (with the harness's
# 4 KB stack and 2 KB heap); the others run their ARMv6-M code on mps2-an385.
FIT_MICROBIT = {"tflm_hello_world_int8", "mww_hey_jarvis", "tiny_cnn_int16x8"}
# A Cortex-M0 with mps2-an385's memory: the engine tries microbit first, then falls back.
CORTEX_M0_4MB = dataclasses.replace(load_board("microbit"), memory=load_board("mps2-an385").memory)


def _assert_same(ours: np.ndarray, theirs: np.ndarray, max_ulp: int, what: str) -> None:
    theirs = np.asarray(theirs)
    assert ours.dtype == theirs.dtype and ours.size == theirs.size, (what, ours.dtype, theirs.dtype)
    theirs = theirs.reshape(ours.shape)
    if max_ulp and ours.dtype == np.float32:
        worst = int(ulp_distance(ours, theirs).max(initial=0))
        assert worst <= max_ulp, f"{what}: {worst} ULP apart"
    elif ours.tobytes() != theirs.tobytes():
        bad = np.flatnonzero(ours.ravel() != theirs.ravel())
        raise AssertionError(f"{what}: {len(bad)} of {ours.size} elements differ, first {bad[:5].tolist()}: "
                             f"ours {ours.ravel()[bad[:5]].tolist()}, expected {theirs.ravel()[bad[:5]].tolist()}")


def check_on_qemu(cases: list[tuple[str, Path]], board, sequences: int = SEQUENCES,
                  invocations: int = INVOCATIONS):
    """Run the cases as one firmware; assert every output equals the Python reference (planned
    arena, every pass on) and TFLM. Returns the firmware, the runs and the outputs compared."""
    prepared = []
    for number, (name, path) in enumerate(cases):
        data = path.read_bytes()
        inputs = [random_invocations(data, 1000 * number + s, invocations) for s in range(sequences)]
        prepared.append((name, load_model(path), inputs, data))
    firmware, runs = run_qemu_batch([(f"m{i}_{name}", model, inputs)
                                     for i, (name, model, inputs, _) in enumerate(prepared)], board)
    compared = 0
    for (name, model, inputs, data), run in zip(prepared, runs):
        tolerance = LIBM_MAX_ULP.get(name, 0)
        for s, sequence in enumerate(inputs):
            reference = run_optimised(data, sequence)
            tflm = run_tflm(data, sequence, n_outputs=len(model.main.outputs))
            for k, (ours, ref, oracle) in enumerate(zip(run.outputs[s], reference, tflm)):
                for j, (a, b, c) in enumerate(zip(ours, ref, oracle)):
                    where = f"{name} on {board.core} ({firmware.machine}) input {s} invocation {k} output {j}"
                    _assert_same(a, b, tolerance, f"{where} vs the Python reference")
                    _assert_same(a, c, tolerance, f"{where} vs TFLM")
                    compared += 1
        assert all(count > 0 for sequence in run.instructions for count in sequence), name
        assert len(run.operators) > 0 and all(op.instructions > 0 for op in run.operators), name
    return firmware, runs, compared


@pytest.mark.parametrize("cases", [WHOLE, SEANET], ids=["whole_models", "seanet"])
def test_corpus_on_cortex_m4f(cases):
    firmware, _, compared = check_on_qemu(cases, load_board("mps2-an386"))
    assert firmware.machine == "mps2-an386" and firmware.note is None
    assert compared >= SEQUENCES * INVOCATIONS * len(cases)


@pytest.mark.parametrize("board_name", ["mps2-an385", "mps2-an500", "mps2-an505", "mps3-an547"])
def test_representative_models(board_name):
    board = load_board(board_name)
    firmware, _, compared = check_on_qemu(REPRESENTATIVE, board)
    assert firmware.machine == board.qemu_machine
    assert compared == SEQUENCES * INVOCATIONS * len(REPRESENTATIVE)


@pytest.mark.parametrize("name,path", REPRESENTATIVE, ids=[name for name, _ in REPRESENTATIVE])
def test_representative_models_on_cortex_m0(name, path):
    firmware, _, _ = check_on_qemu([(name, path)], CORTEX_M0_4MB)
    if name in FIT_MICROBIT:
        assert firmware.machine == "microbit" and firmware.note is None
    else:
        assert firmware.machine == "mps2-an385" and "ARMv6-M code run on mps2-an385" in firmware.note


def test_instruction_counts_are_exact_and_repeatable(tmp_path):
    board = load_board("mps2-an386")
    names = ["tflm_hello_world_int8", "mww_hey_jarvis"]
    models = [load_model(model_path(name)) for name in names]
    firmware = build_firmware([generate_for_board(name, model, board) for name, model in zip(names, models)],
                              board, tmp_path)
    runs = [(model, [random_invocations(model_path(name).read_bytes(), 0, 3)]) for name, model in zip(names, models)]
    first, second = run_firmware(firmware, runs, tmp_path), run_firmware(firmware, runs, tmp_path)
    for a, b in zip(first, second):
        assert a.instructions == b.instructions and a.operators == b.operators
    for model, run in zip(models, first):
        # One entry per emitted kernel call, named after its operator; the kernels account for
        # most of an inference, the dispatch loop for the rest.
        assert all(re.fullmatch(r"#\d+ [A-Z_0-9]+", op.name) for op in run.operators)
        kernels = sum(op.instructions for op in run.operators)
        first_call = run.instructions[0][0]
        assert 0 < kernels < first_call < kernels + 40 * len(run.operators)


def test_board_limits_are_kept_at_the_machine_addresses():
    nrf = machine_layout(load_board("nrf52840"), "mps2-an386")
    assert (nrf.flash, nrf.ram) == (Region("FLASH", 0, 1 << 20, "flash"), Region("RAM", 0x20000000, 256 << 10, "ram"))
    stm = machine_layout(load_board("stm32f746"), "mps2-an500")
    assert (stm.flash.origin, stm.flash.length, stm.ram.origin, stm.ram.length) == (0, 1 << 20, 0x20000000, 256 << 10)
    pico = machine_layout(load_board("rp2040"), "microbit")  # capped by what microbit has
    assert (pico.flash.length, pico.ram.length) == (256 << 10, 16 << 10)
    m33 = machine_layout(load_board("stm32u585"), "mps2-an505")
    assert (m33.flash.origin, m33.ram.origin, m33.ram.length) == (0x10000000, 0x38000000, 768 << 10)


def test_model_too_big_for_the_board_is_refused(tmp_path):
    board = load_board("microbit")
    model = load_model(model_path("mlperf_kws_dscnn_int8"))
    with pytest.raises(UserError, match=r"does not fit microbit .*region `RAM' overflowed by \d+ bytes"):
        build_firmware([generate_for_board("kws", model, board)], board, tmp_path)
