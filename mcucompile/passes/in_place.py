"""Mark elementwise operators that may write their output over an input.

Legal when element i of the output depends only on element i of that input and both have the
same shape and element size; the planner then shares the bytes if the input dies at that
operator (it is read for the last time there and is not a model input).
"""
from __future__ import annotations

from ..ir import Model
from .rewrite import copy_model

UNARY_ELEMENTWISE = {"RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "LOGISTIC", "TANH", "QUANTIZE", "DEQUANTIZE"}
BINARY_ELEMENTWISE = {"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM"}


def mark_in_place(model: Model) -> Model:
    model = copy_model(model)
    for graph in model.graphs:
        for op in graph.operators:
            if op.sharing is not None or op.kind not in UNARY_ELEMENTWISE | BINARY_ELEMENTWISE:
                continue
            out = graph.tensors[op.outputs[0]]
            candidates = op.inputs[:1] if op.kind in UNARY_ELEMENTWISE else op.inputs[:2]
            for position, index in enumerate(candidates):
                source = graph.tensor(index)
                if (source is not None and not source.is_constant and source.shape == out.shape
                        and source.nbytes == out.nbytes):
                    op.shares_input, op.sharing = position, "overwrite"
                    break
    return model
