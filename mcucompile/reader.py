"""Read a .tflite flatbuffer into the graph IR, using the generated schema code of the `tflite`
package. This is the only module that knows the schema."""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import tflite

from .errors import ModelFormatError
from .ir import Graph, Model, Operator, Quantization, Tensor
from .metadata import METADATA_BUFFER

_TENSOR_DTYPES = {
    tflite.TensorType.FLOAT32: "float32",
    tflite.TensorType.FLOAT16: "float16",
    tflite.TensorType.FLOAT64: "float64",
    tflite.TensorType.INT8: "int8",
    tflite.TensorType.INT4: "int4",
    tflite.TensorType.UINT8: "uint8",
    tflite.TensorType.INT16: "int16",
    tflite.TensorType.UINT16: "uint16",
    tflite.TensorType.INT32: "int32",
    tflite.TensorType.UINT32: "uint32",
    tflite.TensorType.INT64: "int64",
    tflite.TensorType.UINT64: "uint64",
    tflite.TensorType.BOOL: "bool",
    tflite.TensorType.RESOURCE: "resource",
}

_PLAIN_DTYPES = {"float32", "int8", "uint8", "int16", "int32", "int64", "bool"}

_OPERATOR_NAMES = {v: k for k, v in vars(tflite.BuiltinOperator).items() if not k.startswith("_")}
_OPTIONS_NAMES = {v: k for k, v in vars(tflite.BuiltinOptions).items() if not k.startswith("_")}
_ACTIVATION_NAMES = {v: k for k, v in vars(tflite.ActivationFunctionType).items() if not k.startswith("_")}
_PADDING_NAMES = {v: k for k, v in vars(tflite.Padding).items() if not k.startswith("_")}

# Accessor methods of generated option tables that are not option fields.
_NOT_FIELDS = re.compile(r"^(Init|GetRootAs.*|.*BufferHasIdentifier)$|(Length|IsNone|AsNumpy)$")


def read_model_file(path: str | Path) -> Model:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFormatError(f"{path}: cannot read the file ({exc.strerror}); check the path") from None
    return read_model(data, name=str(path))


def read_model(data: bytes, name: str = "model") -> Model:
    """Parse a whole model. Any malformed offset surfaces as ModelFormatError, never a traceback."""
    if len(data) < 8 or data[4:8] != b"TFL3":
        raise ModelFormatError(f"{name}: not a TensorFlow Lite model (no 'TFL3' flatbuffer identifier); "
                               "pass a .tflite file")
    try:
        return _Reader(data).model()
    except ModelFormatError:
        raise
    except (IndexError, struct.error, ValueError, UnicodeDecodeError, TypeError, OverflowError,
            AttributeError, KeyError) as exc:
        raise ModelFormatError(f"{name}: the flatbuffer is truncated or corrupt ({type(exc).__name__}); "
                               "re-export the model") from None


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = bytearray(data)
        root = tflite.Model.GetRootAs(self.data, 0)
        root_offset = struct.unpack_from("<I", self.data, 0)[0]
        if root_offset >= len(self.data):
            raise ModelFormatError("root table offset points outside the file")
        self.root = root

    def model(self) -> Model:
        root = self.root
        if root.Version() != 3:
            raise ModelFormatError(f"schema version {root.Version()} is not supported (expected 3)")
        buffers = [self._buffer(root.Buffers(i)) for i in range(root.BuffersLength())]
        opcodes = [self._opcode(root.OperatorCodes(i)) for i in range(root.OperatorCodesLength())]
        graphs = [self._graph(root.Subgraphs(i), i, buffers, opcodes) for i in range(root.SubgraphsLength())]
        if not graphs:
            raise ModelFormatError("the model has no subgraph")
        metadata = {}
        for i in range(root.MetadataLength()):
            entry = root.Metadata(i)
            metadata[entry.Name().decode()] = self._at(buffers, entry.Buffer(), "metadata buffer")
        description = (root.Description() or b"").decode()
        associated_files = self._associated_files() if METADATA_BUFFER in metadata else {}
        return Model(graphs=graphs, description=description, version=root.Version(), metadata=metadata,
                     associated_files=associated_files)

    # -- pieces --------------------------------------------------------------------------
    def _associated_files(self) -> dict[str, bytes]:
        """The metadata's associated files, zipped after the flatbuffer (the file is then also a
        zip archive, read whole: zipfile finds the archive at the end)."""
        archive = io.BytesIO(self.data)
        if not zipfile.is_zipfile(archive):
            return {}
        try:
            with zipfile.ZipFile(archive) as zipped:
                return {item.filename: zipped.read(item) for item in zipped.infolist() if not item.is_dir()}
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise ModelFormatError(f"the files zipped after the flatbuffer are corrupt ({type(exc).__name__}: "
                                   f"{exc}); re-attach the metadata") from None

    def _buffer(self, buffer) -> bytes:
        offset, size = buffer.Offset(), buffer.Size()
        if offset > 1:  # large models keep buffers after the flatbuffer, at absolute offsets
            if offset + size > len(self.data):
                raise ModelFormatError("a weight buffer lies past the end of the file (truncated?)")
            return bytes(self.data[offset:offset + size])
        if buffer.DataIsNone():
            return b""
        raw = buffer.DataAsNumpy()
        return raw.tobytes()

    @staticmethod
    def _opcode(code) -> tuple[str, str | None]:
        builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
        kind = _OPERATOR_NAMES.get(builtin, f"UNKNOWN_{builtin}")
        custom = code.CustomCode()
        return kind, (custom.decode() if custom is not None else None)

    @staticmethod
    def _at(sequence, index: int, what: str):
        if not 0 <= index < len(sequence):
            raise ModelFormatError(f"{what} index {index} is out of range (0..{len(sequence) - 1})")
        return sequence[index]

    def _graph(self, sg, number: int, buffers, opcodes) -> Graph:
        tensors = [self._tensor(sg.Tensors(i), i, buffers) for i in range(sg.TensorsLength())]
        operators = []
        for i in range(sg.OperatorsLength()):
            op = sg.Operators(i)
            kind, custom = self._at(opcodes, op.OpcodeIndex(), "operator code")
            inputs = tuple(int(t) for t in op.InputsAsNumpy()) if op.InputsLength() else ()
            outputs = tuple(int(t) for t in op.OutputsAsNumpy()) if op.OutputsLength() else ()
            for t in inputs + outputs:
                if t != -1:
                    self._at(tensors, t, f"operator {i} tensor")
            operators.append(Operator(index=i, kind=kind, inputs=inputs, outputs=outputs,
                                      attrs=self._options(op), custom_code=custom))
        io_in = tuple(int(t) for t in sg.InputsAsNumpy()) if sg.InputsLength() else ()
        io_out = tuple(int(t) for t in sg.OutputsAsNumpy()) if sg.OutputsLength() else ()
        for t in io_in + io_out:
            self._at(tensors, t, "subgraph input/output tensor")
        for t in io_in + io_out:  # an empty model input or output is still fed or written, not constant
            if tensors[t].data is not None and tensors[t].num_elements == 0:
                tensors[t].data = None
        name = (sg.Name() or f"subgraph_{number}".encode()).decode()
        return Graph(name=name, tensors=tensors, operators=operators, inputs=io_in, outputs=io_out)

    def _tensor(self, t, index: int, buffers) -> Tensor:
        dtype = _TENSOR_DTYPES.get(t.Type(), f"unknown_type_{t.Type()}")
        shape = tuple(int(d) for d in t.ShapeAsNumpy()) if t.ShapeLength() else ()
        raw = self._at(buffers, t.Buffer(), f"tensor {index} buffer")
        data = None
        # int4 weights are packed two to a byte; they stay undecoded and are refused later.
        if raw and dtype not in ("resource", "int4") and not dtype.startswith("unknown"):
            array = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<"))
            if array.size != int(np.prod(shape, dtype=np.int64)):
                raise ModelFormatError(f"tensor {index} ({(t.Name() or b'').decode()}): buffer holds "
                                       f"{array.size} elements but its shape {list(shape)} needs "
                                       f"{int(np.prod(shape, dtype=np.int64))}")
            data = array.astype(np.dtype(dtype)).reshape(shape)
        elif dtype in _PLAIN_DTYPES and 0 in shape:
            data = np.zeros(shape, dtype=dtype)  # an empty constant (e.g. a scalar RESHAPE target)
        return Tensor(index=index, name=(t.Name() or b"").decode(), shape=shape, dtype=dtype,
                      quantization=self._quantization(t.Quantization()), data=data,
                      is_variable=bool(t.IsVariable()))

    @staticmethod
    def _quantization(q) -> Quantization | None:
        # TFLM treats a tensor as quantised only when it has both scales and zero points.
        if q is None or q.ScaleLength() == 0 or q.ZeroPointLength() == 0:
            return None
        scales = q.ScaleAsNumpy().astype(np.float32)
        zero_points = q.ZeroPointAsNumpy().astype(np.int64)
        if len(zero_points) == 1 and len(scales) > 1:
            zero_points = np.repeat(zero_points, len(scales))
        return Quantization(scales=scales, zero_points=zero_points, axis=int(q.QuantizedDimension()))

    @staticmethod
    def _options(op) -> dict:
        """Every field of the operator's builtin options table, keyed in snake_case."""
        type_id = op.BuiltinOptionsType()
        if type_id == 0 or op.BuiltinOptions() is None:
            return {}
        table_name = _OPTIONS_NAMES[type_id]
        table = getattr(tflite, table_name)()
        union = op.BuiltinOptions()
        table.Init(union.Bytes, union.Pos)
        attrs = {}
        for field in dir(table):
            if field.startswith("_") or _NOT_FIELDS.search(field) or not callable(getattr(table, field)):
                continue
            if hasattr(table, field + "Length"):
                value = [int(v) for v in getattr(table, field + "AsNumpy")()] if getattr(table, field + "Length")() else []
            else:
                value = getattr(table, field)()
                if isinstance(value, bytes):
                    value = value.decode()
            key = re.sub(r"(?<!^)(?=[A-Z])", "_", field).lower()
            if key == "fused_activation_function":
                value = _ACTIVATION_NAMES.get(value, value)
            elif key == "padding":
                value = _PADDING_NAMES.get(value, value)
            attrs[key] = value
        return attrs
