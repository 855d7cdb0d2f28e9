"""Fold a PAD into the CONV_2D or DEPTHWISE_CONV_2D that reads it.

The convolution kernels skip taps that fall outside the image, which is the same as reading a
value that contributes nothing: the input zero point for int8 (its offset-corrected value is 0),
0 for int16 (zero point 0) and 0.0 for float32 (adding +-0.0 to a sum that starts at +0.0
never changes it). A PAD whose fill value is exactly that, on height and width only, followed
by a VALID convolution, is therefore the convolution with explicit top/left padding; the output
size stays that of the output tensor, so bottom/right padding needs no parameter.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..ir import Graph, Model, Operator
from .rewrite import consumers, copy_model, renumber

CONVOLUTIONS = {"CONV_2D", "DEPTHWISE_CONV_2D"}


def _fill_is_neutral(graph: Graph, pad: Operator) -> bool:
    source, padded = graph.tensors[pad.inputs[0]], graph.tensors[pad.outputs[0]]
    if source.dtype != padded.dtype:
        return False
    if source.dtype == "float32":
        return source.quantization is None and padded.quantization is None
    qs, qp = source.quantization, padded.quantization
    if qs is None or qp is None or qs.per_channel or qp.per_channel:
        return False
    same_quantisation = qs.scale == qp.scale and qs.zero_point == qp.zero_point
    if source.dtype == "int8":
        return same_quantisation  # TFLM's int8 PAD fills with the output zero point
    return source.dtype == "int16" and same_quantisation and qs.zero_point == 0


def _spatial_pads(graph: Graph, pad: Operator) -> tuple[int, int] | None:
    """(top, left) when the constant paddings touch only height and width, else None."""
    if len(pad.inputs) != 2 or graph.tensors[pad.inputs[1]].data is None:
        return None
    pads = np.asarray(graph.tensors[pad.inputs[1]].data).reshape(-1, 2)
    if pads.shape != (4, 2) or (pads < 0).any() or pads[0].any() or pads[3].any():
        return None
    return int(pads[1, 0]), int(pads[2, 0])


def fold_pad(model: Model) -> Model:
    model = copy_model(model)
    graphs = []
    for graph in model.graphs:
        folded = set()
        for pad in graph.operators:
            if pad.kind != "PAD" or pad.outputs[0] in graph.outputs:
                continue
            readers = consumers(graph, pad.outputs[0])
            if len(readers) != 1:
                continue
            conv = readers[0]
            pads = _spatial_pads(graph, pad)
            if (conv.kind not in CONVOLUTIONS or conv.inputs[0] != pad.outputs[0] or pads is None
                    or conv.attrs.get("padding") != "VALID" or not _fill_is_neutral(graph, pad)):
                continue
            conv.inputs = (pad.inputs[0],) + conv.inputs[1:]
            conv.attrs["padding"] = "EXPLICIT"
            conv.attrs["explicit_padding"] = list(pads)
            folded.add(pad.index)
        graphs.append(renumber(graph, [op for op in graph.operators if op.index not in folded]))
    return replace(model, graphs=graphs)
