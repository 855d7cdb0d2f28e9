"""Decide whether mcucompile can compile a model, and say exactly why not when it cannot."""
from __future__ import annotations

from .errors import UnsupportedModelError
from .ir import Graph, Model, Operator
from .kernels import SUPPORTED_OPERATORS

# Operators that take quantised int8 weights; fed float32 activations they form a hybrid model.
_WEIGHTED = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV", "SVDF",
             "UNIDIRECTIONAL_SEQUENCE_LSTM", "BATCH_MATMUL", "EMBEDDING_LOOKUP"}


def is_hybrid(graph: Graph, op: Operator) -> bool:
    """Dynamic-range quantisation: int8 constant weights with float32 activations."""
    if op.kind not in _WEIGHTED:
        return False
    tensors = [graph.tensor(i) for i in op.inputs]
    has_int8_weights = any(t is not None and t.is_constant and t.dtype == "int8" for t in tensors)
    has_float_activations = any(t is not None and not t.is_constant and t.dtype == "float32" for t in tensors)
    return has_int8_weights and has_float_activations


SUPPORTED_DTYPES = {"int8", "uint8", "int16", "int32", "int64", "float32", "bool", "resource"}


def _where(model: Model, graph_index: int, op: Operator) -> str:
    return f"#{op.index}" if graph_index == 0 else f"#{op.index} in subgraph {graph_index}"


def check_supported(model: Model) -> None:
    """Raise one UnsupportedModelError listing every problem at once, each with its location."""
    hybrid, custom, unsupported = [], [], []
    for graph_index, graph in enumerate(model.graphs):
        for op in graph.operators:
            where = _where(model, graph_index, op)
            if op.kind == "CUSTOM":
                custom.append(f"{op.custom_code} {where}")
            elif is_hybrid(graph, op):
                hybrid.append(f"{op.kind} {where}")
            elif op.kind not in SUPPORTED_OPERATORS:
                unsupported.append(f"{op.kind} {where}")
    problems = []
    odd_types = sorted({f"{t.dtype} (tensor {t.name!r})" for g in model.graphs for t in g.tensors
                        if t.dtype not in SUPPORTED_DTYPES})
    if odd_types:
        problems.append(f"unsupported tensor types: {', '.join(odd_types[:5])}"
                        + (f" and {len(odd_types) - 5} more" if len(odd_types) > 5 else ""))
    if hybrid:
        problems.append("hybrid (dynamic-range) quantisation is not supported: float32 activations with "
                        f"int8 weights at {', '.join(hybrid)}; convert with full-integer quantisation "
                        "(a representative dataset) or keep the model float32")
    if custom:
        problems.append(f"custom operators are not supported: {', '.join(custom)}")
    if unsupported:
        problems.append(f"unsupported operators: {', '.join(unsupported)}")
    if problems:
        raise UnsupportedModelError("; ".join(problems))
