"""`mcucompile verify` and `mcucompile run --engine qemu` end to end, and the comparison that
decides verify's verdict, on deliberately corrupted outputs."""
from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

import mcucompile.verify as verify_module
from mcucompile.cli import cli
from mcucompile.executor import Executor
from mcucompile.reader import read_model_file
from mcucompile.verify import LIBM_MAX_ULP, compare_outputs
from tests.support.corpus import model_path
from tests.test_cli import assert_clean_error, mcucompile

JSON_KEYS = {"bitexact", "flash_bytes", "ram_bytes", "arena_bytes", "instructions", "operators"}


def test_verify_json():
    result = mcucompile("verify", model_path("mww_hey_jarvis"), "--board", "nrf52840", "--inputs", "2",
                        "--invocations", "3", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert JSON_KEYS <= set(report)
    assert report["bitexact"] is True and report["mismatches"] == []
    assert report["qemu_machine"] == "mps2-an386" and report["outputs_compared"] == 6
    assert report["linked"]["ram"] == {"origin": 0x20000000, "length": 256 * 1024}
    assert report["arena_bytes"] > 0 and report["state_bytes"] > 0  # the streaming model keeps state
    assert report["ram_bytes"] >= report["arena_bytes"] + report["state_bytes"]
    assert report["flash_bytes"] > 0 and report["instructions"] >= report["instructions_min"] > 0
    assert sum(op["instructions"] for op in report["operators"]) < report["instructions"]
    assert all(op["name"] and op["instructions"] > 0 for op in report["operators"])


def test_verify_text_names_the_libm_tolerance():
    result = mcucompile("verify", model_path("mlperf_ic_resnet8_fp32"), "--board", "mps2-an500", "--inputs", "1",
                        "--invocations", "2")
    assert result.returncode == 0, result.stderr
    assert "bit-exact: yes" in result.stdout and f"at most {LIBM_MAX_ULP} ULP" in result.stdout
    assert "instructions per inference" in result.stdout and "CONV_2D" in result.stdout


def test_verify_reports_a_wrong_output(monkeypatch):
    real_run = verify_module.run_qemu_batch

    def corrupted(cases, board):
        firmware, runs = real_run(cases, board)
        runs[0].outputs[1][0][0].ravel()[0] ^= 5  # input 1, invocation 0, output 0, element 0
        return firmware, runs

    monkeypatch.setattr(verify_module, "run_qemu_batch", corrupted)
    result = CliRunner().invoke(cli, ["verify", str(model_path("tflm_hello_world_int8")), "--board", "mps2-an386",
                                      "--inputs", "2", "--invocations", "2"])
    assert result.exit_code == 1, result.output
    assert "bit-exact: NO" in result.output
    for oracle in ("the Python reference", "TFLM"):
        assert f"input 1 invocation 0 output 0: 1 of 1 elements differ from {oracle}" in result.output


def test_compare_outputs_locates_differences():
    rng = np.random.default_rng(0)
    expected = [[[rng.integers(-100, 100, size=(2, 5)).astype(np.int8)] for _ in range(2)] for _ in range(2)]
    ours = [[[array.copy() for array in step] for step in sequence] for sequence in expected]
    assert compare_outputs(ours, expected, "TFLM") == ([], 0)
    ours[1][1][0][1, 2] += 3
    ours[1][1][0][1, 4] -= 1
    mismatches, _ = compare_outputs(ours, expected, "TFLM")
    (mismatch,) = mismatches
    assert (mismatch.sequence, mismatch.invocation, mismatch.output) == (1, 1, 0)
    assert (mismatch.differing, mismatch.elements, mismatch.first, mismatch.largest) == (2, 10, [7, 9], 3)
    assert "2 of 10 elements differ from TFLM (largest 3)" in mismatch.describe()


def test_compare_outputs_allows_libm_ulps_only_where_asked():
    expected = [[[np.array([1.0, 0.5, 0.25], dtype=np.float32)]]]
    near = [[[np.nextafter(np.nextafter(expected[0][0][0], np.float32(2)), np.float32(2))]]]  # 2 ULP up
    assert compare_outputs(near, expected, "TFLM", tolerant={0}) == ([], 2)
    assert compare_outputs(near, expected, "TFLM")[0][0].differing == 3
    far = [[[np.nextafter(near[0][0][0], np.float32(2))]]]
    (mismatch,), worst = compare_outputs(far, expected, "TFLM", tolerant={0})
    assert worst == 3 and mismatch.largest == 3 and mismatch.unit == " ULP"


def test_run_engine_qemu_matches_the_python_engine(tmp_path):
    path = model_path("tiny_cnn_int8")
    model = read_model_file(path)
    tensor = model.main.tensors[model.main.inputs[0]]
    values = np.random.default_rng(3).integers(-128, 128, size=(2, *tensor.shape)).astype(np.int8)
    np.savez(tmp_path / "in.npz", input_0=values)
    result = mcucompile("run", path, "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz",
                        "--engine", "qemu", "--board", "stm32f446re")
    assert result.returncode == 0, result.stderr
    executor = Executor(model)
    with np.load(tmp_path / "out.npz") as outputs:
        for k in range(2):
            assert outputs["output_0"][k].tobytes() == executor.invoke([values[k]])[0].tobytes()


def test_run_engine_qemu_needs_a_board(tmp_path):
    np.savez(tmp_path / "in.npz", input_0=np.zeros((1, 1, 1), dtype=np.int8))
    assert_clean_error(mcucompile("run", model_path("tflm_hello_world_int8"), "--inputs", tmp_path / "in.npz",
                                  "--outputs", tmp_path / "out.npz", "--engine", "qemu"), "--engine qemu needs --board")


def test_verify_unknown_board():
    assert_clean_error(mcucompile("verify", model_path("tflm_hello_world_int8"), "--board", "nope"),
                       "unknown board 'nope'")
