"""Offsets in one arena for buffers with known sizes and lifetimes.

Several placement strategies run on the same buffers and the smallest arena wins (ties go to
the earlier strategy, so the result is deterministic). Each strategy visits buffers in its own
order and puts each one into a gap among the already placed buffers that are alive at the same
time: either the lowest gap that fits (first fit) or the tightest one (best fit).
"""
from __future__ import annotations

from dataclasses import dataclass

from .liveness import Buffer


@dataclass(frozen=True)
class Allocation:
    strategy: str
    offsets: dict[int, int]  # buffer id -> byte offset
    arena_bytes: int


def _live_totals(buffers: list[Buffer]) -> dict[int, int]:
    """For each buffer, the largest total of live bytes during its lifetime."""
    if not buffers:
        return {}
    horizon = max(b.last for b in buffers) + 1
    totals = [0] * horizon
    for b in buffers:
        for step in range(b.first, b.last + 1):
            totals[step] += b.size
    return {b.id: max(totals[b.first:b.last + 1]) for b in buffers}


def _orders(buffers: list[Buffer]) -> dict[str, list[Buffer]]:
    pressure = _live_totals(buffers)
    return {
        "size": sorted(buffers, key=lambda b: (-b.size, b.first, b.id)),
        "pressure": sorted(buffers, key=lambda b: (-pressure[b.id], -b.size, b.first, b.id)),
        "start": sorted(buffers, key=lambda b: (b.first, -b.size, b.id)),
        "lifetime": sorted(buffers, key=lambda b: (-(b.last - b.first), -b.size, b.id)),
        "area": sorted(buffers, key=lambda b: (-(b.last - b.first + 1) * b.size, b.id)),
    }


def _place(order: list[Buffer], best_fit: bool) -> dict[int, int]:
    placed: list[tuple[Buffer, int]] = []
    offsets: dict[int, int] = {}
    for buffer in order:
        busy = sorted((offset, offset + other.size) for other, offset in placed if other.overlaps(buffer))
        candidates = []
        cursor = 0
        for start, end in busy:
            if start - cursor >= buffer.size:
                candidates.append((start - cursor, cursor))
            cursor = max(cursor, end)
        candidates.append((float("inf"), cursor))
        gap, offset = min(candidates, key=lambda c: c[0]) if best_fit else candidates[0]
        offsets[buffer.id] = offset
        placed.append((buffer, offset))
    return offsets


def allocate(buffers: list[Buffer]) -> Allocation:
    """Buffer sizes are already aligned, so every offset built from them is aligned too."""
    best: Allocation | None = None
    for name, order in _orders(buffers).items():
        for fit in ("first", "best"):
            offsets = _place(order, fit == "best")
            arena = max((offsets[b.id] + b.size for b in buffers), default=0)
            if best is None or arena < best.arena_bytes:
                best = Allocation(f"{name}/{fit}-fit", offsets, arena)
    return best if best is not None else Allocation("empty", {}, 0)


