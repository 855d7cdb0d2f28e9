"""The graph IR: plain dataclasses that every later stage reads.

The reader is the only code that knows the flatbuffer schema; everything after it sees these.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Quantization:
    """Affine quantisation: real = scale * (q - zero_point), per tensor or per channel on `axis`."""

    scales: np.ndarray  # float32, one per channel (length 1 when per-tensor)
    zero_points: np.ndarray  # int64, same length as scales
    axis: int = 0

    @property
    def per_channel(self) -> bool:
        return len(self.scales) > 1

    @property
    def scale(self) -> float:
        """The single scale of a per-tensor quantised tensor, as TFLM reads it (float32)."""
        return float(self.scales[0])

    @property
    def zero_point(self) -> int:
        return int(self.zero_points[0])


@dataclass
class Tensor:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: str  # numpy dtype name: int8, uint8, int16, int32, int64, float32, bool, or "resource"
    quantization: Quantization | None = None
    data: np.ndarray | None = None  # constant contents, already shaped, or None
    is_variable: bool = False

    @property
    def is_constant(self) -> bool:
        return self.data is not None

    @property
    def num_elements(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def nbytes(self) -> int:
        if self.dtype == "resource":
            return 4
        return self.num_elements * np.dtype(self.dtype).itemsize


@dataclass
class Operator:
    index: int
    kind: str  # builtin operator name, e.g. "CONV_2D"; "CUSTOM" for custom operators
    inputs: tuple[int, ...]  # tensor indices; -1 marks an omitted optional input
    outputs: tuple[int, ...]
    attrs: dict[str, Any] = field(default_factory=dict)  # builtin options, snake_case keys
    custom_code: str | None = None
    # Storage sharing decided by passes: output 0 may live in the bytes of input `shares_input`.
    # "alias": identical bytes (RESHAPE and kin), always shared; "overwrite": an elementwise op
    # that may write over its input when that input dies here; "slices": a CONCATENATION whose
    # inputs may live in their slices of the output (shares_input stays None).
    shares_input: int | None = None
    sharing: str | None = None


@dataclass
class Graph:
    """One subgraph: tensors, operators in execution order, inputs and outputs."""

    name: str
    tensors: list[Tensor]
    operators: list[Operator]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]

    def tensor(self, index: int) -> Tensor | None:
        return None if index < 0 else self.tensors[index]

    def input_tensors(self, op: Operator) -> list[Tensor | None]:
        return [self.tensor(i) for i in op.inputs]

    def output_tensors(self, op: Operator) -> list[Tensor]:
        return [self.tensors[i] for i in op.outputs]


@dataclass
class Model:
    """A whole .tflite model: subgraph 0 is the entry point; others are called (e.g. CALL_ONCE)."""

    graphs: list[Graph]
    description: str = ""
    version: int = 3
    metadata: dict[str, bytes] = field(default_factory=dict)
    # Files zipped after the flatbuffer (the metadata's associated files, e.g. labels.txt), by name.
    associated_files: dict[str, bytes] = field(default_factory=dict)

    @property
    def main(self) -> Graph:
        return self.graphs[0]
