"""`mcucompile inspect`: what a model contains and whether mcucompile can compile it."""
from __future__ import annotations

from typing import Any

from .analysis import operator_macs, weight_bytes
from .ir import Graph, Model, Tensor
from .kernels import SUPPORTED_OPERATORS
from .metadata import METADATA_BUFFER, read_metadata, summary_lines
from .support import is_hybrid


def _tensor_summary(t: Tensor) -> dict[str, Any]:
    summary: dict[str, Any] = {"index": t.index, "name": t.name, "shape": list(t.shape), "dtype": t.dtype}
    if t.quantization is not None:
        q = t.quantization
        summary["scale"] = [float(s) for s in q.scales] if q.per_channel else q.scale
        summary["zero_point"] = [int(z) for z in q.zero_points] if q.per_channel else q.zero_point
        if q.per_channel:
            summary["axis"] = q.axis
    return summary


def _operator_status(graph: Graph, op) -> str:
    if op.kind == "CUSTOM":
        return "unsupported (custom)"
    if is_hybrid(graph, op):
        return "unsupported (hybrid)"
    return "supported" if op.kind in SUPPORTED_OPERATORS else "unsupported"


def _model_metadata(model: Model) -> dict[str, Any] | None:
    """The TFLite metadata's description of the model, None when it carries none."""
    if METADATA_BUFFER not in model.metadata:
        return None
    meta = read_metadata(model)
    return {"name": meta.name, "version": meta.version, "description": meta.description, "author": meta.author,
            "license": meta.license, "labels": len(meta.labels), "summary": summary_lines(meta)}


def inspect_model(model: Model) -> dict[str, Any]:
    subgraphs = []
    for graph in model.graphs:
        operators = []
        for op in graph.operators:
            operators.append({
                "index": op.index,
                "kind": op.custom_code if op.kind == "CUSTOM" else op.kind,
                "custom": op.kind == "CUSTOM",
                "options": op.attrs,
                "inputs": [i for i in op.inputs],
                "outputs": list(op.outputs),
                "macs": operator_macs(op, graph),
                "status": _operator_status(graph, op),
            })
        activation_dtypes = sorted({t.dtype for t in graph.tensors if not t.is_constant and t.dtype != "resource"})
        subgraphs.append({
            "name": graph.name,
            "inputs": [_tensor_summary(graph.tensors[i]) for i in graph.inputs],
            "outputs": [_tensor_summary(graph.tensors[i]) for i in graph.outputs],
            "operators": operators,
            "macs": sum(o["macs"] for o in operators),
            "weight_bytes": weight_bytes(graph),
            "activation_dtypes": activation_dtypes,
        })
    return {
        "description": model.description,
        "metadata": sorted(model.metadata),
        "model_metadata": _model_metadata(model),
        "subgraphs": subgraphs,
        "macs": sum(s["macs"] for s in subgraphs),
        "weight_bytes": sum(s["weight_bytes"] for s in subgraphs),
        "supported": all(o["status"] == "supported" for s in subgraphs for o in s["operators"]),
    }


def _format_options(options: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(options.items()))


def _format_tensor(t: dict[str, Any]) -> str:
    text = f"{t['name']} {t['dtype']}{t['shape']}"
    if "scale" in t:
        text += f" scale={t['scale']} zero_point={t['zero_point']}" if "axis" not in t else \
            f" per-channel on axis {t['axis']} ({len(t['scale'])} scales)"
    return text


def format_report(report: dict[str, Any]) -> str:
    lines = []
    if report["model_metadata"] is not None:
        meta = report["model_metadata"]
        lines.append(f"model {meta['name'] or '(unnamed)'}")
        lines += [f"  {line}" for line in meta["summary"]]
    for number, sg in enumerate(report["subgraphs"]):
        lines.append(f"subgraph {number} ({sg['name']}): {len(sg['operators'])} operators, "
                     f"{sg['macs']:,} MACs, {sg['weight_bytes']:,} weight bytes, "
                     f"activations {'/'.join(sg['activation_dtypes']) or '-'}")
        lines += [f"  input  {_format_tensor(t)}" for t in sg["inputs"]]
        lines += [f"  output {_format_tensor(t)}" for t in sg["outputs"]]
        for op in sg["operators"]:
            macs = f"{op['macs']:>12,} MACs" if op["macs"] else " " * 17
            status = "" if op["status"] == "supported" else f"  [{op['status']}]"
            lines.append(f"  #{op['index']:<3} {op['kind']:<28}{macs}  {_format_options(op['options'])}{status}")
    verdict = "supported" if report["supported"] else "NOT supported (see the operators marked above)"
    lines.append(f"total: {report['macs']:,} MACs, {report['weight_bytes']:,} weight bytes; {verdict}")
    return "\n".join(lines)
