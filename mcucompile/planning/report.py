"""The memory plan as a user sees it: a JSON object and an SVG drawing (time across, address up)."""
from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from ..ir import Model
from .plan import MemoryPlan


def plan_summary(model: Model, plan: MemoryPlan) -> dict[str, Any]:
    tensors = []
    for ref, p in sorted(plan.placements.items(), key=lambda item: (item[1].first, item[1].offset, item[0])):
        tensor = model.graphs[ref.graph].tensors[ref.index]
        tensors.append({"graph": ref.graph, "index": ref.index, "name": p.name, "dtype": tensor.dtype,
                        "shape": list(tensor.shape), "offset": p.offset, "size": p.size,
                        "first_step": p.first, "last_step": p.last, "buffer": p.buffer})
    return {
        "arena_bytes": plan.arena_bytes,
        "lower_bound_bytes": plan.lower_bound_bytes,
        "gap_bytes": plan.gap_bytes,
        "persistent_ram_bytes": plan.persistent_ram_bytes,
        "alignment": plan.alignment,
        "strategy": plan.strategy,
        "order": [{"graph": g, "operator": o, "kind": model.graphs[g].operators[o].kind} for g, o in plan.steps],
        "variables": [{"container": c, "shared_name": n, "offset": off}
                      for (c, n), off in plan.variable_offsets.items()],
        "tensors": tensors,
    }


def format_plan(summary: dict[str, Any]) -> str:
    gap = summary["gap_bytes"]
    ratio = summary["arena_bytes"] / summary["lower_bound_bytes"] if summary["lower_bound_bytes"] else 1.0
    lines = [
        f"arena {summary['arena_bytes']:,} B, lower bound {summary['lower_bound_bytes']:,} B, "
        f"gap {gap:,} B ({ratio:.3f}x bound), strategy {summary['strategy']}",
        f"persistent RAM (resource variables) {summary['persistent_ram_bytes']:,} B, "
        f"alignment {summary['alignment']} B",
        f"{'offset':>8} {'size':>8}  steps      tensor",
    ]
    for t in summary["tensors"]:
        where = "" if t["graph"] == 0 else f" (subgraph {t['graph']})"
        lines.append(f"{t['offset']:>8} {t['size']:>8}  {t['first_step']:>3}-{t['last_step']:<5}  "
                     f"{t['name']}{where} {t['dtype']}{t['shape']}")
    return "\n".join(lines)


def plan_svg(summary: dict[str, Any], width: int = 960, height: int = 540) -> str:
    """Each buffer is a rectangle from its first to its last step, at its arena offset."""
    steps = max(len(summary["order"]), 1)
    arena = max(summary["arena_bytes"], 1)
    left, bottom, top = 70, 40, 30
    plot_w, plot_h = width - left - 20, height - bottom - top
    x = lambda step: left + plot_w * step / steps
    y = lambda offset: top + plot_h * (1 - offset / arena)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="11">',
             f'<text x="{left}" y="18">arena {summary["arena_bytes"]:,} B; lower bound '
             f'{summary["lower_bound_bytes"]:,} B; time (operator steps) across, address up</text>',
             f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>']
    seen = set()
    for t in summary["tensors"]:
        if t["buffer"] in seen:
            continue
        seen.add(t["buffer"])
        hue = (t["buffer"] * 47) % 360
        x0, x1 = x(t["first_step"]), x(t["last_step"] + 1)
        y0, y1 = y(t["offset"] + t["size"]), y(t["offset"])
        parts.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{max(x1 - x0, 1):.1f}" height="{max(y1 - y0, 1):.1f}" '
                     f'fill="hsl({hue},60%,70%)" stroke="#333" stroke-width="0.5">'
                     f'<title>{escape(t["name"])}: {t["size"]:,} B at {t["offset"]:,}, steps '
                     f'{t["first_step"]}-{t["last_step"]}</title></rect>')
    bound_y = y(summary["lower_bound_bytes"])
    parts.append(f'<line x1="{left}" y1="{bound_y:.1f}" x2="{left + plot_w}" y2="{bound_y:.1f}" '
                 f'stroke="red" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="4" y="{bound_y + 4:.1f}" fill="red">bound</text>')
    parts.append(f'<text x="4" y="{top + 4}">{arena:,}</text><text x="4" y="{top + plot_h}">0</text>')
    parts.append(f'<text x="{left}" y="{height - 12}">step 0</text>'
                 f'<text x="{left + plot_w - 50}" y="{height - 12}">step {steps}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
