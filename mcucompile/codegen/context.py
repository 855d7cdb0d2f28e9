"""What a kernel emitter may ask for: pointers to tensors and named const arrays in flash."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..ir import Model
from ..planning.plan import MemoryPlan
from ..kernels.variables import variable_layouts
from .cformat import C_TYPES


@dataclass(frozen=True)
class ConstArray:
    symbol: str
    ctype: str
    values: np.ndarray


@dataclass(frozen=True)
class CCall:
    """One operator in C: the kernel to call and the designated initializers of its params."""

    function: str
    params_type: str
    fields: tuple[tuple[str, str], ...]
    header: str  # runtime header declaring function and params type (include/)
    sources: tuple[str, ...]  # runtime sources the kernel needs (src/)


@dataclass
class EmitContext:
    model: Model
    plan: MemoryPlan
    prefix: str
    arrays: list[ConstArray] = field(default_factory=list)
    _by_content: dict[tuple[str, bytes, tuple], str] = field(default_factory=dict)
    _call_once_flags: dict[int, int] = field(default_factory=dict)

    @property
    def arena(self) -> str:
        return f"{self.prefix}_arena"

    @property
    def state(self) -> str:
        return f"{self.prefix}_state"

    def const_array(self, hint: str, values, ctype: str) -> str:
        """A const array in flash (identical contents share one symbol)."""
        values = np.ascontiguousarray(values)
        key = (ctype, values.tobytes(), values.shape)
        if key not in self._by_content:
            symbol = f"{self.prefix}_{hint}"
            taken = {a.symbol for a in self.arrays}
            suffix = 1
            while symbol in taken:
                suffix += 1
                symbol = f"{self.prefix}_{hint}_{suffix}"
            self.arrays.append(ConstArray(symbol, ctype, values))
            self._by_content[key] = symbol
        return self._by_content[key]

    def tensor(self, graph: int, index: int) -> str:
        """A C pointer expression to the first element of a tensor (arena or flash)."""
        tensor = self.model.graphs[graph].tensors[index]
        ctype = C_TYPES[tensor.dtype]
        if tensor.data is not None:
            return self.const_array(f"g{graph}_t{index}", tensor.data, ctype)
        return f"({ctype} *)&{self.arena}.bytes[{self.plan.offset(graph, index)}]"

    def arena_offset(self, graph: int, index: int) -> int:
        return self.plan.offset(graph, index)

    def variable(self, key: tuple[str, str]) -> str:
        return f"&{self.state}.bytes[{self.plan.variable_offsets[key]}]"

    def variable_layouts(self) -> dict[tuple[str, str], tuple[int, int]]:
        return variable_layouts(self.model)

    def call_once_flag(self, graph: int) -> str:
        """A RAM byte that records whether subgraph `graph` has run (one per called subgraph)."""
        if graph not in self._call_once_flags:
            self._call_once_flags[graph] = len(self._call_once_flags)
        return f"&{self.prefix}_called_once[{self._call_once_flags[graph]}]"

    @property
    def call_once_count(self) -> int:
        return len(self._call_once_flags)

    def graph_table(self, graph: int) -> str:
        return f"{self.prefix}_graph{graph}_ops"
