"""Remove QUANTIZE / DEQUANTIZE chains that give back exactly what went in.

A chain (one operator, or two back to back) from tensor A to tensor C is removed when A and C
have the same type, shape and quantisation and running the reference kernels over every value
of the type returns each value unchanged; readers of C then read A. A model output is kept.
"""
from __future__ import annotations

from ..ir import Graph, Model
from .exhaustive import is_identity
from .rewrite import copy_model, replace_uses

KINDS = {"QUANTIZE", "DEQUANTIZE"}


def _same_storage_format(graph: Graph, a: int, c: int) -> bool:
    ta, tc = graph.tensors[a], graph.tensors[c]
    if ta.dtype != tc.dtype or ta.shape != tc.shape or ta.is_constant:
        return False
    qa, qc = ta.quantization, tc.quantization
    if qa is None or qc is None:
        return qa is qc
    return (qa.scales.tobytes() == qc.scales.tobytes() and qa.zero_points.tobytes() == qc.zero_points.tobytes()
            and qa.axis == qc.axis)


def cancel_requantize(model: Model) -> Model:
    model = copy_model(model)
    for graph in model.graphs:
        producer = {t: op for op in graph.operators for t in op.outputs}
        for op in graph.operators:
            if op.kind not in KINDS or op.outputs[0] in graph.outputs:
                continue
            chains = [[op]]
            first = producer.get(op.inputs[0])
            if first is not None and first.kind in KINDS:
                chains.append([first, op])
            for chain in chains:
                source, result = chain[0].inputs[0], op.outputs[0]
                if _same_storage_format(graph, source, result) and is_identity(graph, chain):
                    replace_uses(graph, result, source)
                    break
    return model
