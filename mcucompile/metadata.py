"""What a model says about itself: its TFLite Support metadata, if it carries any.

A model may hold a "TFLITE_METADATA" buffer: a flatbuffer of the TFLite Support metadata schema
(name, description, version, author, license and, per input and output, a name, a description,
the normalisation the model expects, the value range and a label file) whose associated files
(e.g. labels.txt) are zipped after the model's flatbuffer; the reader keeps them in
`Model.associated_files`. The flatbuffer is read through the schema's generated code
(`schema/metadata_schema_generated.py`), never by hand. A model without metadata is described
from its tensors.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from .errors import ModelFormatError
from .ir import Model
from .schema import metadata_schema_generated as schema

METADATA_BUFFER = "TFLITE_METADATA"
_IDENTIFIER = b"M001"  # file_identifier of the metadata schema


@dataclass(frozen=True)
class TensorInfo:
    """One model input or output."""

    name: str
    description: str = ""
    mean: tuple[float, ...] = ()  # the model expects (value - mean) / std, per channel or one for all
    std: tuple[float, ...] = ()
    min: tuple[float, ...] = ()  # the range of the values (statistics)
    max: tuple[float, ...] = ()
    label_file: str | None = None  # associated file naming the elements along an axis (TENSOR_AXIS_LABELS)
    labels: tuple[str, ...] = ()  # its lines


@dataclass(frozen=True)
class Metadata:
    name: str
    description: str = ""
    version: str = ""
    author: str = ""
    license: str = ""
    inputs: tuple[TensorInfo, ...] = ()
    outputs: tuple[TensorInfo, ...] = ()
    associated_files: dict[str, bytes] = field(default_factory=dict)  # file name -> contents

    @property
    def labelled_output(self) -> int | None:
        """The index of the first output with labels: a classifier's scores, named by its labels."""
        return next((j for j, output in enumerate(self.outputs) if output.labels), None)

    @property
    def labels(self) -> tuple[str, ...]:
        return () if self.labelled_output is None else self.outputs[self.labelled_output].labels


def read_metadata(model: Model, default_name: str = "") -> Metadata:
    """The model's metadata; `default_name` names a model whose metadata gives no name.
    Raises ModelFormatError (one line) when the metadata is corrupt."""
    raw = model.metadata.get(METADATA_BUFFER)
    if raw is None:
        return Metadata(name=default_name, inputs=_plain_infos(model, "input"), outputs=_plain_infos(model, "output"),
                        associated_files=dict(model.associated_files))
    if len(raw) < 8 or raw[4:8] != _IDENTIFIER:
        raise ModelFormatError(f"the {METADATA_BUFFER} buffer is not TFLite metadata (no 'M001' flatbuffer "
                               "identifier); re-attach the metadata")
    try:
        root = schema.ModelMetadataT.InitFromObj(schema.ModelMetadata.GetRootAs(bytearray(raw), 0))
        subgraphs = root.subgraphMetadata or []
        graph = subgraphs[0] if subgraphs else schema.SubGraphMetadataT()
        return Metadata(
            name=_text(root.name) or default_name, description=_text(root.description),
            version=_text(root.version), author=_text(root.author), license=_text(root.license),
            inputs=_infos(model, "input", graph.inputTensorMetadata),
            outputs=_infos(model, "output", graph.outputTensorMetadata),
            associated_files=dict(model.associated_files))
    except ModelFormatError:
        raise
    except (IndexError, struct.error, ValueError, UnicodeDecodeError, TypeError, OverflowError,
            AttributeError, KeyError):
        raise ModelFormatError(f"the {METADATA_BUFFER} metadata flatbuffer is truncated or corrupt; "
                               "re-attach the metadata") from None


def summary_lines(metadata: Metadata) -> list[str]:
    """One line per field the metadata fills ("Description: ...", "Version: ...", "Author: ...",
    "License: ...", "Labels: 4 (labels.txt)"), whitespace collapsed; [] without metadata."""
    fields = [("Description", metadata.description), ("Version", metadata.version),
              ("Author", metadata.author), ("License", metadata.license)]
    lines = [f"{key}: {' '.join(value.split())}" for key, value in fields if value.strip()]
    if metadata.labelled_output is not None:
        output = metadata.outputs[metadata.labelled_output]
        lines.append(f"Labels: {len(output.labels)} ({output.label_file})")
    return lines


def tensor_name(name: str, role: str, number: int) -> str:
    """A readable name for a tensor: without the signature prefix and output index the converter
    adds ("serving_default_input_audio:0" -> "input_audio"); "input_0" when it has none."""
    return re.sub(r"^serving_default_|:\d+$", "", name) or f"{role}_{number}"


def _plain_infos(model: Model, role: str) -> tuple[TensorInfo, ...]:
    indices = model.main.inputs if role == "input" else model.main.outputs
    return tuple(TensorInfo(name=tensor_name(model.main.tensors[t].name, role, n)) for n, t in enumerate(indices))


def _infos(model: Model, role: str, described: list | None) -> tuple[TensorInfo, ...]:
    plain = _plain_infos(model, role)
    if not described:
        return plain
    if len(described) != len(plain):
        raise ModelFormatError(f"the {METADATA_BUFFER} metadata describes {len(described)} {role}s but the model "
                               f"has {len(plain)}; re-attach the metadata")
    return tuple(_info(meta, fallback.name, model.associated_files) for meta, fallback in zip(described, plain))


def _info(meta, fallback_name: str, files: dict[str, bytes]) -> TensorInfo:
    mean = std = ()
    for unit in meta.processUnits or []:
        if unit.optionsType == schema.ProcessUnitOptions.NormalizationOptions:
            mean, std = _floats(unit.options.mean), _floats(unit.options.std)
    stats = meta.stats or schema.StatsT()
    label_file = next((_text(f.name) for f in meta.associatedFiles or []
                       if f.type == schema.AssociatedFileType.TENSOR_AXIS_LABELS), None)
    return TensorInfo(name=_text(meta.name) or fallback_name, description=_text(meta.description),
                      mean=mean, std=std, min=_floats(stats.min), max=_floats(stats.max),
                      label_file=label_file, labels=_labels(label_file, files) if label_file is not None else ())


def _labels(file_name: str, files: dict[str, bytes]) -> tuple[str, ...]:
    if file_name not in files:
        raise ModelFormatError(f"the metadata names the label file {file_name!r}, but no such file is zipped "
                               "after the model; re-attach the metadata with its associated files")
    try:
        text = files[file_name].decode("utf-8")
    except UnicodeDecodeError:
        raise ModelFormatError(f"the label file {file_name!r} is not UTF-8 text") from None
    lines = [line.rstrip("\r") for line in text.split("\n")]
    return tuple(lines[:-1] if lines[-1] == "" else lines)  # one label a line; a final newline ends the last


def _text(value: bytes | None) -> str:
    return value.decode("utf-8") if value else ""


def _floats(values) -> tuple[float, ...]:
    return () if values is None else tuple(float(v) for v in values)
