"""Merge a lone RELU / RELU6 into the operator that produces its input.

The producer (an operator with a fused activation, currently NONE) then clamps its own output.
The merge is made only when it is proven exact: the activation's input and output share type,
shape and quantisation, and running the activation's reference kernel over every value of the
8/16-bit type gives exactly the clamp to the bounds the producer computes for the fused
activation. Float activations are left alone (their values cannot be enumerated).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..ir import Graph, Model, Operator
from ..kernels import KERNELS
from .exhaustive import ENUMERABLE, equals_function
from .rewrite import consumers, copy_model, renumber

ACTIVATIONS = {"RELU", "RELU6"}
FUSABLE = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV", "AVERAGE_POOL_2D",
           "MAX_POOL_2D", "ADD", "SUB", "MUL"}


def _same_format(graph: Graph, a: int, b: int) -> bool:
    ta, tb = graph.tensors[a], graph.tensors[b]
    qa, qb = ta.quantization, tb.quantization
    return (ta.dtype == tb.dtype and ta.shape == tb.shape and qa is not None and qb is not None
            and not qa.per_channel and qa.scale == qb.scale and qa.zero_point == qb.zero_point)


def _fused(graph: Graph, producer: Operator, activation: Operator) -> Operator | None:
    """The producer with the activation fused in, if that is provably the same computation."""
    merged = replace(producer, outputs=(activation.outputs[0],),
                     attrs={**producer.attrs, "fused_activation_function": activation.kind})
    params = KERNELS[merged.kind].lower(merged, graph)
    low, high = params["activation_min"], params["activation_max"]
    if equals_function(graph, activation, lambda values: np.clip(values, low, high).astype(values.dtype)):
        return merged
    return None


def merge_activations(model: Model) -> Model:
    model = copy_model(model)
    graphs = []
    for graph in model.graphs:
        producer_of = {t: op for op in graph.operators for t in op.outputs}
        replaced: dict[int, Operator] = {}
        removed: set[int] = set()
        for activation in graph.operators:
            source = activation.inputs[0] if activation.inputs else -1
            producer = producer_of.get(source)
            if (activation.kind not in ACTIVATIONS or producer is None or producer.kind not in FUSABLE
                    or producer.index in replaced or producer.attrs.get("fused_activation_function") != "NONE"
                    or source in graph.outputs or len(consumers(graph, source)) != 1
                    or graph.tensors[source].dtype not in ENUMERABLE
                    or not _same_format(graph, source, activation.outputs[0])):
                continue
            merged = _fused(graph, producer, activation)
            if merged is not None:
                replaced[producer.index] = merged
                removed.add(activation.index)
        operators = [replaced.get(op.index, op) for op in graph.operators if op.index not in removed]
        graphs.append(renumber(graph, operators))
    return replace(model, graphs=graphs)
