"""A small .tflite builder for generated single-operator test models.

Uses the official schema's generated object API (flatc output shipped in the tflite-micro
package) and the flatbuffers builder, so the files are exactly what a converter would write.
"""
from __future__ import annotations

import re

import flatbuffers
import numpy as np
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

_TENSOR_TYPES = {
    "float32": schema.TensorType.FLOAT32,
    "int8": schema.TensorType.INT8,
    "uint8": schema.TensorType.UINT8,
    "int16": schema.TensorType.INT16,
    "int32": schema.TensorType.INT32,
    "int64": schema.TensorType.INT64,
    "bool": schema.TensorType.BOOL,
    "resource": schema.TensorType.RESOURCE,
}

ACTIVATIONS = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3, "TANH": 4}
PADDINGS = {"SAME": 0, "VALID": 1}


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


class ModelBuilder:
    """Build one model: add tensors, then operators, then call build()."""

    def __init__(self) -> None:
        self.model = schema.ModelT()
        self.model.version = 3
        self.model.description = "mcucompile test model"
        self.model.operatorCodes = []
        self.model.buffers = [schema.BufferT()]  # buffer 0 is the conventional empty buffer
        self.model.metadata = []
        self.graphs: list[schema.SubGraphT] = []
        self.new_subgraph()

    # Subgraphs -----------------------------------------------------------------------------
    def new_subgraph(self, name: str = "") -> int:
        graph = schema.SubGraphT()
        graph.name = name
        graph.tensors, graph.operators, graph.inputs, graph.outputs = [], [], [], []
        self.graphs.append(graph)
        self.current = graph
        return len(self.graphs) - 1

    def use_subgraph(self, index: int) -> None:
        self.current = self.graphs[index]

    # Tensors -------------------------------------------------------------------------------
    def tensor(self, shape, dtype: str, *, name: str | None = None, scale=None, zero_point=None,
               axis: int = 0, data=None, is_variable: bool = False) -> int:
        """Add a tensor; scale/zero_point may be scalars or per-channel sequences."""
        t = schema.TensorT()
        t.shape = list(shape)
        t.type = _TENSOR_TYPES[dtype]
        t.name = name or f"t{len(self.current.tensors)}"
        t.isVariable = is_variable
        if scale is not None:
            q = schema.QuantizationParametersT()
            scales = np.atleast_1d(np.asarray(scale, dtype=np.float32))
            zps = np.atleast_1d(np.asarray(0 if zero_point is None else zero_point, dtype=np.int64))
            if len(zps) == 1 and len(scales) > 1:
                zps = np.repeat(zps, len(scales))
            q.scale = [float(s) for s in scales]
            q.zeroPoint = [int(z) for z in zps]
            q.quantizedDimension = axis
            t.quantization = q
        if data is not None:
            array = np.ascontiguousarray(np.asarray(data, dtype=dtype if dtype != "resource" else None))
            buffer = schema.BufferT()
            buffer.data = list(array.tobytes())
            self.model.buffers.append(buffer)
            t.buffer = len(self.model.buffers) - 1
        self.current.tensors.append(t)
        return len(self.current.tensors) - 1

    def const(self, data, dtype: str, **kwargs) -> int:
        array = np.asarray(data)
        return self.tensor(array.shape, dtype, data=array, **kwargs)

    # Operators -----------------------------------------------------------------------------
    def _opcode(self, kind: str, custom_code: str | None) -> int:
        code = getattr(schema.BuiltinOperator, kind)
        for i, existing in enumerate(self.model.operatorCodes):
            if existing.builtinCode == code and existing.customCode == custom_code:
                return i
        opcode = schema.OperatorCodeT()
        opcode.builtinCode = code
        opcode.deprecatedBuiltinCode = min(code, 127)
        opcode.customCode = custom_code
        opcode.version = 1
        self.model.operatorCodes.append(opcode)
        return len(self.model.operatorCodes) - 1

    def op(self, kind: str, inputs, outputs, options: str | None = None, custom_code: str | None = None,
           **attrs) -> None:
        """Add an operator. `options` names the options table (e.g. "Conv2DOptions"); attrs are
        its fields in snake_case; "padding" and "fused_activation_function" also take names."""
        op = schema.OperatorT()
        op.opcodeIndex = self._opcode(kind, custom_code)
        op.inputs = list(inputs)
        op.outputs = list(outputs)
        if options is not None:
            table = getattr(schema, options + "T")()
            for key, value in attrs.items():
                if key == "padding" and isinstance(value, str):
                    value = PADDINGS[value]
                if key == "fused_activation_function" and isinstance(value, str):
                    value = ACTIVATIONS[value]
                field = _camel(key)
                if not hasattr(table, field):
                    raise AttributeError(f"{options} has no field {key}")
                setattr(table, field, value)
            op.builtinOptionsType = getattr(schema.BuiltinOptions, options)
            op.builtinOptions = table
        elif attrs:
            raise ValueError("attrs given without an options table")
        self.current.operators.append(op)

    def io(self, inputs, outputs) -> None:
        self.current.inputs = list(inputs)
        self.current.outputs = list(outputs)

    def metadata(self, name: str, data: bytes) -> None:
        buffer = schema.BufferT()
        buffer.data = list(data)
        self.model.buffers.append(buffer)
        entry = schema.MetadataT()
        entry.name = name
        entry.buffer = len(self.model.buffers) - 1
        self.model.metadata.append(entry)

    def build(self) -> bytes:
        self.model.subgraphs = self.graphs
        builder = flatbuffers.Builder(1024)
        builder.Finish(self.model.Pack(builder), file_identifier=b"TFL3")
        return bytes(builder.Output())


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
