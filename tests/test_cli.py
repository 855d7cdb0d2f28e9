"""The command line: one-line errors with status 2 for bad input, npz in and out for `run`."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from mcucompile.executor import Executor
from mcucompile.reader import read_model_file
from tests.support.corpus import model_path


def mcucompile(*args, cwd=None):
    return subprocess.run([sys.executable, "-c", "from mcucompile.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def assert_clean_error(result, *fragments):
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_inspect_text_lists_operators_and_macs():
    result = mcucompile("inspect", model_path("mlperf_kws_dscnn_int8"))
    assert result.returncode == 0, result.stderr
    assert "2,656,768 MACs" in result.stdout and "DEPTHWISE_CONV_2D" in result.stdout


def test_inspect_json():
    result = mcucompile("inspect", model_path("mww_hey_jarvis"), "--json")
    report = json.loads(result.stdout)
    assert report["supported"] is True
    assert report["macs"] == 21630
    main = report["subgraphs"][0]
    assert main["inputs"][0]["dtype"] == "int8" and main["outputs"][0]["dtype"] == "uint8"
    assert {op["kind"] for op in main["operators"]} >= {"CALL_ONCE", "VAR_HANDLE", "READ_VARIABLE"}


def test_inspect_marks_unsupported_operators():
    report = json.loads(mcucompile("inspect", model_path("tflm_keyword_scrambled"), "--json").stdout)
    statuses = {op["kind"]: op["status"] for op in report["subgraphs"][0]["operators"]}
    assert statuses["SVDF"] == "unsupported" and report["supported"] is False


def test_not_a_model(tmp_path):
    bogus = tmp_path / "bogus.tflite"
    bogus.write_bytes(b"\x00" * 64)
    assert_clean_error(mcucompile("inspect", bogus), "not a TensorFlow Lite model")


def test_truncated_model(tmp_path):
    cut = tmp_path / "cut.tflite"
    cut.write_bytes(model_path("tflm_person_detect_int8").read_bytes()[:5000])
    assert_clean_error(mcucompile("inspect", cut), "truncated or corrupt")


@pytest.mark.parametrize("name,fragment", [
    ("mlperf_kws_dscnn_hybrid", "hybrid"),
    ("tflm_audio_preprocessor_int8", "custom operators"),
    ("tflm_mnist_lstm_int8", "UNIDIRECTIONAL_SEQUENCE_LSTM #0"),
])
def test_run_refuses_unsupported_models(tmp_path, name, fragment):
    inputs = tmp_path / "in.npz"
    np.savez(inputs, input_0=np.zeros((1, 1), np.int8))
    result = mcucompile("run", model_path(name), "--inputs", inputs, "--outputs", tmp_path / "out.npz")
    assert_clean_error(result, fragment)
    assert not (tmp_path / "out.npz").exists()


def test_run_checks_input_arrays(tmp_path):
    inputs = tmp_path / "in.npz"
    np.savez(inputs, input_0=np.zeros((2, 1, 5), np.int8))
    result = mcucompile("run", model_path("tflm_hello_world_int8"), "--inputs", inputs, "--outputs", tmp_path / "o.npz")
    assert_clean_error(result, "input_0 has shape [2, 1, 5]")
    np.savez(inputs, input_0=np.zeros((2, 1, 1), np.float32))
    result = mcucompile("run", model_path("tflm_hello_world_int8"), "--inputs", inputs, "--outputs", tmp_path / "o.npz")
    assert_clean_error(result, "float32", "int8")
    np.savez(inputs, x=np.zeros((2, 1, 1), np.int8))
    result = mcucompile("run", model_path("tflm_hello_world_int8"), "--inputs", inputs, "--outputs", tmp_path / "o.npz")
    assert_clean_error(result, "missing input_0", "unexpected x")
    assert not (tmp_path / "o.npz").exists()


def test_run_stateful_model_carries_state(tmp_path):
    path = model_path("mww_hey_jarvis")
    rng = np.random.default_rng(5)
    frames = rng.integers(-128, 128, size=(4, 1, 3, 40)).astype(np.int8)
    np.savez(tmp_path / "in.npz", input_0=frames)
    result = mcucompile("run", path, "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz")
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "out.npz") as out:
        assert list(out.files) == ["output_0"]
        written = out["output_0"]
    assert written.shape == (4, 1, 1) and written.dtype == np.uint8
    executor = Executor(read_model_file(path))
    expected = np.stack([executor.invoke([frame])[0] for frame in frames])
    np.testing.assert_array_equal(written, expected)


def test_run_refuses_a_board_it_would_ignore(tmp_path):
    inputs = tmp_path / "in.npz"
    np.savez(inputs, input_0=np.zeros((1, 1, 1), np.int8))
    result = mcucompile("run", model_path("tflm_hello_world_int8"), "--inputs", inputs, "--outputs",
                        tmp_path / "o.npz", "--board", "nrf52840")
    assert_clean_error(result, "--board only applies to --engine qemu")
