"""TFLite Support metadata: read back exactly from a corpus model it is attached to, shown by
inspect, put into the generated C (name, version, labels), harmless to the computation; a model
without metadata is described from its tensors; corrupt metadata is one clear error line."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import flatbuffers
import numpy as np
import pytest
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as tflite_schema

from mcucompile.codegen.model_source import generate_model
from mcucompile.codegen.project import write_sources
from mcucompile.engines.host import WARNINGS, host_compiler
from mcucompile.errors import ModelFormatError
from mcucompile.inspection import format_report, inspect_model
from mcucompile.metadata import Metadata, TensorInfo, read_metadata, summary_lines, tensor_name
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory
from mcucompile.reader import read_model, read_model_file
from mcucompile.schema import metadata_schema_generated as md
from tests.support.compare import random_invocations, run_reference
from tests.support.corpus import model_path
from tests.support.host import assert_host_matches
from tests.support.modelbuilder import ModelBuilder

SPEECH = "tflm_micro_speech_int8"  # input int8[1, 1960], output int8[1, 4]: silence, unknown, yes, no
LABELS_TXT = b"silence\nunknown\nyes\nno\n"
LICENSE = "Apache License. Version 2.0 http://www.apache.org/licenses/LICENSE-2.0."


# Building metadata as the TFLite Support MetadataPopulator does ---------------------------------
def tensor_metadata(name: str, description: str = "", mean=None, std=None, low=None, high=None,
                    label_file: str | None = None) -> md.TensorMetadataT:
    meta = md.TensorMetadataT()
    meta.name, meta.description = name, description
    if mean is not None:
        normalization = md.NormalizationOptionsT()
        normalization.mean, normalization.std = mean, std
        unit = md.ProcessUnitT()
        unit.optionsType, unit.options = md.ProcessUnitOptions.NormalizationOptions, normalization
        meta.processUnits = [unit]
    if low is not None:
        meta.stats = md.StatsT()
        meta.stats.min, meta.stats.max = low, high
    if label_file is not None:
        labels = md.AssociatedFileT()
        labels.name, labels.description = label_file, "One label a line"
        labels.type = md.AssociatedFileType.TENSOR_AXIS_LABELS
        meta.associatedFiles = [labels]
    return meta


def model_metadata(name: str, description: str, version: str, author: str, license: str,
                   inputs: list[md.TensorMetadataT], outputs: list[md.TensorMetadataT]) -> bytes:
    meta = md.ModelMetadataT()
    meta.name, meta.description, meta.version, meta.author, meta.license = name, description, version, author, license
    graph = md.SubGraphMetadataT()
    graph.inputTensorMetadata, graph.outputTensorMetadata = inputs, outputs
    meta.subgraphMetadata = [graph]
    builder = flatbuffers.Builder(0)
    builder.Finish(meta.Pack(builder), file_identifier=b"M001")
    return bytes(builder.Output())


def speech_metadata(inputs: int = 1) -> bytes:
    return model_metadata(
        "Micro speech", "Recognises the words yes and no in one second of audio.", "v1.2",
        "TensorFlow Lite Micro", LICENSE,
        [tensor_metadata("spectrogram", "49 frames of 40 filterbank channels", mean=[0.0], std=[25.5],
                         low=[0.0], high=[26.0])] * inputs,
        [tensor_metadata("scores", "Probability of each word", label_file="labels.txt")])


def attach(model_bytes: bytes, metadata: bytes, files: dict[str, bytes]) -> bytes:
    """The model with a TFLITE_METADATA buffer and, when given, its files zipped after it."""
    model = tflite_schema.ModelT.InitFromPackedBuf(bytearray(model_bytes), 0)
    buffer = tflite_schema.BufferT()
    buffer.data = np.frombuffer(metadata, dtype=np.uint8)
    model.buffers.append(buffer)
    entry = tflite_schema.MetadataT()
    entry.name, entry.buffer = "TFLITE_METADATA", len(model.buffers) - 1
    model.metadata = [*(model.metadata or []), entry]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    data = io.BytesIO(bytes(builder.Output()))
    if files:
        with zipfile.ZipFile(data, "a") as archive:  # appended, as the MetadataPopulator does
            for name, contents in files.items():
                archive.writestr(name, contents)
    return data.getvalue()


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("metadata") / "speech.tflite"
    path.write_bytes(attach(model_path(SPEECH).read_bytes(), speech_metadata(), {"labels.txt": LABELS_TXT}))
    return path


def mcucompile(*args):
    return subprocess.run([sys.executable, "-c", "from mcucompile.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True)


# Reading ----------------------------------------------------------------------------------------
def test_metadata_is_read_back_exactly(speech):
    assert zipfile.is_zipfile(speech)
    model = read_model_file(speech)
    assert model.associated_files == {"labels.txt": LABELS_TXT}
    assert read_metadata(model) == Metadata(
        name="Micro speech", description="Recognises the words yes and no in one second of audio.",
        version="v1.2", author="TensorFlow Lite Micro", license=LICENSE,
        inputs=(TensorInfo(name="spectrogram", description="49 frames of 40 filterbank channels",
                           mean=(0.0,), std=(25.5,), min=(0.0,), max=(26.0,)),),
        outputs=(TensorInfo(name="scores", description="Probability of each word", label_file="labels.txt",
                            labels=("silence", "unknown", "yes", "no")),),
        associated_files={"labels.txt": LABELS_TXT})


def test_summary_lines_for_the_project_readme(speech):
    assert summary_lines(read_metadata(read_model_file(speech))) == [
        "Description: Recognises the words yes and no in one second of audio.", "Version: v1.2",
        "Author: TensorFlow Lite Micro", f"License: {LICENSE}", "Labels: 4 (labels.txt)"]


def test_a_model_without_metadata_is_named_from_its_tensors():
    speech = read_metadata(read_model_file(model_path(SPEECH)), default_name="speech")
    assert speech == Metadata(name="speech", inputs=(TensorInfo("Reshape_1"),), outputs=(TensorInfo("labels_softmax"),))
    assert summary_lines(speech) == [] and speech.labels == ()
    jarvis = read_metadata(read_model_file(model_path("mww_hey_jarvis")))
    assert [i.name for i in jarvis.inputs + jarvis.outputs] == ["input_audio", "StatefulPartitionedCall"]
    unnamed = read_metadata(read_model_file(model_path("tflm_keyword_scrambled")))
    assert [i.name for i in unnamed.inputs + unnamed.outputs] == ["input_0", "output_0"]
    assert tensor_name("serving_default_x:12", "input", 3) == "x"


def test_label_lines_keep_empty_labels_and_drop_carriage_returns():
    data = attach(model_path(SPEECH).read_bytes(), speech_metadata(), {"labels.txt": b"a\r\n\r\nc"})
    assert read_metadata(read_model(data)).labels == ("a", "", "c")


# Corrupt metadata: one line, no traceback --------------------------------------------------------
def _corrupt_cases() -> dict[str, tuple[bytes, str]]:
    original = model_path(SPEECH).read_bytes()
    good = speech_metadata()
    labels = {"labels.txt": LABELS_TXT}
    crc = attach(original, good, labels).replace(b"silence\nunknown", b"silencE\nunknown")
    return {
        "no identifier": (attach(original, b"plain text, not metadata", labels), "no 'M001' flatbuffer identifier"),
        "truncated": (attach(original, good[:len(good) // 2], labels), "metadata flatbuffer is truncated or corrupt"),
        "root offset": (attach(original, b"\xff\xff\xff\x7f" + good[4:], labels), "truncated or corrupt"),
        "label file absent": (attach(original, good, {}), "names the label file 'labels.txt', but no such file"),
        "label file not text": (attach(original, good, {"labels.txt": b"\xff\xfe"}), "is not UTF-8 text"),
        "input count": (attach(original, speech_metadata(inputs=2), labels), "describes 2 inputs but the model has 1"),
        "zip crc": (crc, "files zipped after the flatbuffer are corrupt (BadZipFile"),
    }


@pytest.mark.parametrize("case", sorted(_corrupt_cases()))
def test_corrupt_metadata_is_one_clear_line(case):
    data, fragment = _corrupt_cases()[case]
    with pytest.raises(ModelFormatError) as caught:
        read_metadata(read_model(data))
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_inspect_of_corrupt_metadata_exits_with_one_line(tmp_path):
    path = tmp_path / "corrupt.tflite"
    path.write_bytes(_corrupt_cases()["truncated"][0])
    result = mcucompile("inspect", path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "metadata" in result.stderr


# Inspect ---------------------------------------------------------------------------------------
def test_inspect_shows_the_metadata(speech):
    report = inspect_model(read_model_file(speech))
    assert report["model_metadata"] == {
        "name": "Micro speech", "version": "v1.2", "author": "TensorFlow Lite Micro", "license": LICENSE,
        "description": "Recognises the words yes and no in one second of audio.", "labels": 4,
        "summary": summary_lines(read_metadata(read_model_file(speech)))}
    text = format_report(report).splitlines()
    assert text[:6] == ["model Micro speech", "  Description: Recognises the words yes and no in one second of audio.",
                        "  Version: v1.2", "  Author: TensorFlow Lite Micro", f"  License: {LICENSE}",
                        "  Labels: 4 (labels.txt)"]
    assert inspect_model(read_model_file(model_path(SPEECH)))["model_metadata"] is None
    result = mcucompile("inspect", speech, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["model_metadata"]["labels"] == 4


# Generated C -------------------------------------------------------------------------------------
def test_the_header_carries_name_version_and_labels(speech):
    model = load_model(speech)
    generated = generate_model(model, plan_memory(model), "speech", "speech.tflite")
    header, source = generated.files["speech.h"], generated.files["speech.c"]
    assert generated.metadata == read_metadata(model, default_name="speech")
    for line in ('#define SPEECH_MODEL_NAME "Micro speech"', '#define SPEECH_MODEL_VERSION "v1.2"',
                 " * License: " + LICENSE, "#define SPEECH_NUM_LABELS 4",
                 "/* The labels of output 0 (labels.txt): label i names element i along its labelled axis. */",
                 "extern const char *const speech_labels[SPEECH_NUM_LABELS];",
                 "const char *speech_label(size_t index);",
                 "/* spectrogram: 49 frames of 40 filterbank channels */",
                 "/* normalised as (value - mean) / std, mean [0.0], std [25.5] */"):
        assert line in header.splitlines(), line
    assert '    "silence",\n    "unknown",\n    "yes",\n    "no",\n};' in source
    plain = load_model(model_path(SPEECH))
    header = generate_model(plain, plan_memory(plain), "plain", "plain.tflite").files["plain.h"]
    assert '#define PLAIN_MODEL_NAME "plain"' in header and '#define PLAIN_MODEL_VERSION ""' in header
    assert "LABELS" not in header and "_label" not in header


def _build_and_run(generated, main_c: str, directory: Path) -> bytes:
    c_files = write_sources(generated, directory)
    (directory / "main.c").write_text(main_c)
    program = directory / "program"
    command = [host_compiler(), *WARNINGS, "-I", str(directory), "-I", str(directory / "include"),
               *map(str, c_files), str(directory / "main.c"), "-lm", "-o", str(program)]
    build = subprocess.run(command, capture_output=True, text=True)
    assert build.returncode == 0 and build.stderr == "", build.stderr
    run = subprocess.run([str(program)], capture_output=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_the_labels_compile_and_label_2_is_yes(speech, tmp_path):
    model = load_model(speech)
    generated = generate_model(model, plan_memory(model), "speech", "speech.tflite")
    main_c = """#include <stdio.h>
#include "speech.h"

int main(void)
{
    printf("%s|%s|%d|%s|%s|[%s]\\n", SPEECH_MODEL_NAME, SPEECH_MODEL_VERSION, SPEECH_NUM_LABELS,
           speech_labels[0], speech_label(2), speech_label(SPEECH_NUM_LABELS));
    return 0;
}
"""
    assert _build_and_run(generated, main_c, tmp_path) == b"Micro speech|v1.2|4|silence|yes|[]\n"


NASTY = 'Say "yes" \\ or ??= no, caf\u00e9 \u2603 */ /* ??/'


def test_strings_are_escaped_for_c(tmp_path):
    b = ModelBuilder()
    x = b.tensor([1, 4], "float32", name="in */ ??/")
    y = b.tensor([1, 4], "float32")
    b.op("RELU", [x], [y])
    b.io([x], [y])
    labels = [NASTY, "", "x" * 200 + "\u00e9", "a\tb\\"]
    metadata = model_metadata(NASTY * 4, NASTY, NASTY, NASTY, "line one\nline two ??/\\",
                              [tensor_metadata("in", NASTY)], [tensor_metadata("out", label_file="labels.txt")])
    model = read_model(attach(b.build(), metadata, {"labels.txt": "\n".join(labels).encode()}))
    generated = generate_model(model, plan_memory(model), "nasty", "nasty.tflite")
    main_c = """#include <stdio.h>
#include <string.h>
#include "nasty.h"

static void put(const char *text)
{
    fwrite(text, 1, strlen(text), stdout);
    fputc('|', stdout);
}

int main(void)
{
    size_t i;
    put(NASTY_MODEL_NAME);
    put(NASTY_MODEL_VERSION);
    for (i = 0; i < NASTY_NUM_LABELS; ++i) {
        put(nasty_label(i));
    }
    return 0;
}
"""
    expected = "".join(text + "|" for text in [NASTY * 4, NASTY, *labels]).encode()
    assert _build_and_run(generated, main_c, tmp_path) == expected
    for text in generated.files.values():
        assert max(len(line) for line in text.splitlines()) <= 110
        assert all(line.endswith('" \\') for line in text.splitlines() if line.endswith("\\"))  # only #define


# The computation is untouched --------------------------------------------------------------------
def test_the_model_still_runs_bit_exact(speech):
    data = speech.read_bytes()
    inputs = random_invocations(data, seed=0, count=2)
    ours, plain = run_reference(data, inputs), run_reference(model_path(SPEECH).read_bytes(), inputs)
    assert [[a.tobytes() for a in step] for step in ours] == [[a.tobytes() for a in step] for step in plain]
    assert assert_host_matches([("speech", data)], invocations=2) == 2
