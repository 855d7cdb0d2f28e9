"""Python reference kernels: the semantics every later stage must reproduce byte for byte.

Each operator kind has one `Kernel`, in the module of its family:

- `lower(op, graph) -> dict` does what TFLM's Prepare does: it reads tensor shapes, dtypes,
  quantisation and options from the IR and returns the operator's parameters with every float
  scale already turned into integers (multipliers, shifts, offsets, clamp bounds, lookup
  tables), so integer kernels never touch a float. Later the C emitter consumes the same dict.
- `compute(params, inputs) -> list[np.ndarray]` computes the outputs from numpy input arrays
  (None for an omitted optional input), reproducing TFLM's reference kernel: same rounding,
  saturation and, for float32, the same accumulation order (no fused multiply-add).

Stateful kernels (resource variables, CALL_ONCE) set `stateful=True` and receive the
executor's `State` as a third argument.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..ir import Graph, Operator

Params = dict[str, Any]


@dataclass(frozen=True)
class Kernel:
    lower: Callable[[Operator, Graph], Params]
    compute: Callable[..., list[np.ndarray]]
    stateful: bool = False


def _collect() -> dict[str, Kernel]:
    from . import (
        activations,
        binary,
        conv,
        fully_connected,
        pooling,
        quantize,
        reduce,
        shape_ops,
        transpose_conv,
        variables,
    )

    kernels: dict[str, Kernel] = {}
    for module in (activations, binary, conv, fully_connected, pooling, quantize, reduce, shape_ops,
                   transpose_conv, variables):
        overlap = kernels.keys() & module.KERNELS.keys()
        assert not overlap, f"operator kinds registered twice: {overlap}"
        kernels.update(module.KERNELS)
    return kernels


KERNELS: dict[str, Kernel] = _collect()
SUPPORTED_OPERATORS = frozenset(KERNELS)
