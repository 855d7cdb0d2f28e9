"""The reader: every corpus model reads into the IR; malformed files give ModelFormatError."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.errors import ModelFormatError
from mcucompile.reader import read_model, read_model_file
from tests.support.corpus import MODELS_DIR, model_path
from tests.support.modelbuilder import ModelBuilder

ALL_MODELS = sorted(MODELS_DIR.glob("*.tflite")) + sorted((MODELS_DIR / "seanet").glob("*.tflite"))


@pytest.mark.parametrize("path", ALL_MODELS, ids=lambda p: p.stem)
def test_every_corpus_model_reads(path):
    model = read_model_file(path)
    for graph in model.graphs:
        for op in graph.operators:
            for index in op.inputs + op.outputs:
                assert index == -1 or 0 <= index < len(graph.tensors)


def test_kws_conv_options_and_per_channel_quantisation():
    graph = read_model_file(model_path("mlperf_kws_dscnn_int8")).main
    conv = graph.operators[0]
    assert conv.kind == "CONV_2D"
    assert conv.attrs["padding"] == "SAME" and conv.attrs["stride_h"] == 2
    assert conv.attrs["fused_activation_function"] == "RELU"
    weights = graph.tensors[conv.inputs[1]]
    assert weights.dtype == "int8" and weights.data.shape == weights.shape
    assert weights.quantization.per_channel and len(weights.quantization.scales) == weights.shape[0]
    assert weights.quantization.axis == 0


def test_person_detect_rank1_bias_with_axis_3_is_accepted():
    graph = read_model_file(model_path("tflm_person_detect_int8")).main
    biases = [t for t in graph.tensors if t.is_constant and len(t.shape) == 1 and t.dtype == "int32"
              and t.quantization is not None and t.quantization.axis == 3]
    assert biases


def test_resource_variables_and_call_once_subgraph():
    model = read_model_file(model_path("mww_hey_jarvis"))
    assert len(model.graphs) == 2
    handles = [op for op in model.main.operators if op.kind == "VAR_HANDLE"]
    assert len(handles) == 6 and all(op.attrs["shared_name"] for op in handles)
    call_once = model.main.operators[0]
    assert call_once.kind == "CALL_ONCE" and call_once.attrs["init_subgraph_index"] == 1


def test_metadata_entries_are_read():
    b = ModelBuilder()
    x = b.tensor([1, 2], "float32")
    y = b.tensor([1, 2], "float32")
    b.op("RELU", [x], [y])
    b.io([x], [y])
    b.metadata("labels", b"yes\nno\n")
    model = read_model(b.build())
    assert model.metadata["labels"] == b"yes\nno\n"
    assert model.description == "mcucompile test model"


def test_not_a_flatbuffer():
    with pytest.raises(ModelFormatError, match="not a TensorFlow Lite model"):
        read_model(b"hello world, this is not a model")


def test_missing_file(tmp_path):
    with pytest.raises(ModelFormatError, match="cannot read the file"):
        read_model_file(tmp_path / "absent.tflite")


@pytest.mark.parametrize("name", ["mww_okay_nabu", "tflm_person_detect_int8", "tflm_hello_world_int8"])
def test_truncated_files_are_rejected(name):
    data = model_path(name).read_bytes()
    rng = np.random.default_rng(1)
    for cut in sorted(set(rng.integers(8, len(data) - 1, size=60).tolist())):
        with pytest.raises(ModelFormatError):
            read_model(data[:cut])


def test_corrupt_bytes_never_escape_as_other_exceptions():
    data = model_path("mww_okay_nabu").read_bytes()
    rng = np.random.default_rng(2)
    for _ in range(200):
        corrupt = bytearray(data)
        for pos in rng.integers(8, 4000, size=4):
            corrupt[pos] = int(rng.integers(0, 256))
        try:
            read_model(bytes(corrupt))
        except ModelFormatError:
            pass


def test_out_of_range_tensor_index():
    b = ModelBuilder()
    x = b.tensor([1, 2], "float32")
    y = b.tensor([1, 2], "float32")
    b.op("RELU", [x], [y + 5])
    b.io([x], [y])
    with pytest.raises(ModelFormatError, match="out of range"):
        read_model(b.build())


def test_buffer_size_disagreeing_with_shape():
    b = ModelBuilder()
    x = b.tensor([1, 2], "float32")
    w = b.tensor([3], "float32", data=np.zeros(3, np.float32))
    b.current.tensors[w].shape = [4]
    y = b.tensor([1, 2], "float32")
    b.op("ADD", [x, w], [y], "AddOptions")
    b.io([x], [y])
    with pytest.raises(ModelFormatError, match="buffer holds 3 elements"):
        read_model(b.build())
