"""Render a planned model as C: `<prefix>.h` (the typed API) and `<prefix>.c` (data, op table)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2
import numpy as np

from .. import __version__
from ..ir import Model
from ..lowering import lower_model
from ..metadata import Metadata, TensorInfo, read_metadata, summary_lines
from ..planning.plan import MemoryPlan
from .cformat import C_TYPES, c_array_body, c_comment_lines, c_comment_text, c_float, c_identifier, c_string
from .context import CCall, EmitContext
from .kernels import emit_call

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
RUNTIME = Path(__file__).resolve().parents[2] / "runtime_c"
CORE_SOURCES = ("mcu_runtime.c",)


@dataclass(frozen=True)
class GeneratedModel:
    prefix: str
    files: dict[str, str]  # file name -> text (the model's own .c and .h)
    runtime_sources: tuple[str, ...]  # paths under runtime_c/src
    arena_bytes: int
    state_bytes: int
    inputs: tuple[dict, ...]  # per model input: symbol, macro prefix, dtype, shape, bytes, quantisation
    outputs: tuple[dict, ...]
    metadata: Metadata  # what the model says about itself (name, version, labels...)


@functools.lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=False, lstrip_blocks=False)


def _tensor_notes(info: TensorInfo) -> list[str]:
    """What the metadata says about an input or output, as comment lines."""
    notes = [f"{info.name}: {info.description}"] if info.description else []
    if info.mean or info.std:
        notes.append(f"normalised as (value - mean) / std, mean {list(info.mean)}, std {list(info.std)}")
    if info.min or info.max:
        notes.append(f"value range: min {list(info.min)}, max {list(info.max)}")
    return [line for note in notes for line in c_comment_lines(note)]


def _io_description(model: Model, plan: MemoryPlan, prefix: str, role: str, number: int, index: int,
                    described: TensorInfo) -> dict:
    tensor = model.main.tensors[index]
    q = tensor.quantization
    info = np.iinfo(tensor.dtype) if tensor.dtype not in ("float32", "bool") else None
    symbol = f"{prefix}_{role}_{number}"
    return {
        "role": role, "number": number, "name": c_comment_text(tensor.name), "notes": _tensor_notes(described),
        "dtype": tensor.dtype, "shape": list(tensor.shape),
        "ctype": C_TYPES[tensor.dtype], "symbol": symbol, "MACRO": symbol.upper(),
        "elements": tensor.num_elements, "bytes": tensor.nbytes, "offset": plan.offset(0, index),
        "quantized": q is not None and not q.per_channel and info is not None,
        "scale_c": c_float(q.scale) if q is not None else "", "scale_text": repr(q.scale) if q is not None else "",
        "zero_point": q.zero_point if q is not None else 0,
        "qmin": int(info.min) if info is not None else 0, "qmax": int(info.max) if info is not None else 0,
    }


def generate_model(model: Model, plan: MemoryPlan, prefix: str, source_name: str) -> GeneratedModel:
    prefix = c_identifier(prefix)
    context = EmitContext(model=model, plan=plan, prefix=prefix)
    lowered = lower_model(model)
    graphs, headers, sources = [], set(), set(CORE_SOURCES)
    for g, graph in enumerate(model.graphs):
        order = plan.main_order if g == 0 else range(len(graph.operators))
        calls = []
        for op_index in order:
            call: CCall | None = emit_call(lowered[g][op_index], context)
            if call is None:  # no code: e.g. a RESHAPE that only renames its input's bytes
                continue
            headers.add(call.header)
            sources.update(call.sources)
            calls.append({"function": call.function, "params_type": call.params_type, "fields": call.fields,
                          "params_symbol": f"{prefix}_g{g}_op{op_index}",
                          "comment": f"#{op_index} {graph.operators[op_index].kind}"})
        graphs.append({"table": f"{prefix}_graph{g}_ops", "calls": calls})
    main = model.main
    metadata = read_metadata(model, default_name=prefix)
    inputs = [_io_description(model, plan, prefix, "input", i, t, metadata.inputs[i]) for i, t in enumerate(main.inputs)]
    outputs = [_io_description(model, plan, prefix, "output", j, t, metadata.outputs[j])
               for j, t in enumerate(main.outputs)]
    labelled = metadata.labelled_output
    variables = [{"offset": plan.variable_offsets[key], "bytes": size, "fill": fill}
                 for key, (size, fill) in sorted(context.variable_layouts().items(), key=lambda kv: plan.variable_offsets[kv[0]])]
    values = {
        "prefix": prefix, "PREFIX": prefix.upper(), "guard": f"{prefix.upper()}_H", "version": __version__,
        "source_name": source_name, "description": c_comment_lines(model.description),
        "summary": [line for text in summary_lines(metadata) for line in c_comment_lines(text)],
        "model_name": " \\\n    ".join(c_string(metadata.name)),
        "model_version": " \\\n    ".join(c_string(metadata.version)),
        "labels": ["\n        ".join(c_string(label)) for label in metadata.labels],
        "labels_note": "" if labelled is None else
        c_comment_text(f"output {labelled} ({metadata.outputs[labelled].label_file})"),
        "arena_bytes": plan.arena_bytes, "state_bytes": plan.state_bytes, "alignment": plan.alignment,
        "inputs": inputs, "outputs": outputs, "num_operators": len(graphs[0]["calls"]),
        "headers": sorted(headers), "graphs": graphs, "variables": variables,
        "call_once_count": context.call_once_count,
        "arrays": [{"ctype": a.ctype, "symbol": a.symbol, "length": max(a.values.size, 1),
                    "body": c_array_body(a.values, a.ctype)} for a in context.arrays],
    }
    env = _environment()
    files = {f"{prefix}.h": env.get_template("model.h.j2").render(values),
             f"{prefix}.c": env.get_template("model.c.j2").render(values)}
    return GeneratedModel(prefix, files, tuple(sorted(sources)), plan.arena_bytes, plan.state_bytes,
                          tuple(inputs), tuple(outputs), metadata)


def render_template(name: str, values: dict) -> str:
    return _environment().get_template(name).render(values)
