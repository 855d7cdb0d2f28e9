"""Choose the order of the main graph's operators that keeps peak live memory lowest.

Any topological order is valid, except that operators touching state (resource variables,
CALL_ONCE) keep their original relative order. Small graphs are searched exactly (memoised over
the set of operators already run); larger ones use a greedy rule: run the ready operator that
leaves the least memory alive, ties broken by the original order.
"""
from __future__ import annotations

from functools import lru_cache

from ..ir import Graph

STATEFUL_KINDS = {"VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "CALL_ONCE"}
EXACT_SEARCH_STATES = 5_000


class _Problem:
    """The main graph as bitmasks: predecessors of each op, consumers and sizes of tensors."""

    def __init__(self, graph: Graph, storage_of: dict[int, int], sizes: dict[int, int]) -> None:
        self.n = len(graph.operators)
        producer = {t: op.index for op in graph.operators for t in op.outputs}
        self.preds = [0] * self.n
        previous_stateful = None
        for op in graph.operators:
            for t in op.inputs:
                if t in producer:
                    self.preds[op.index] |= 1 << producer[t]
            if op.kind in STATEFUL_KINDS:
                if previous_stateful is not None:
                    self.preds[op.index] |= 1 << previous_stateful
                previous_stateful = op.index
        # Storage units (tensor groups sharing bytes): who writes them, who reads them.
        self.sizes = sizes
        self.writers: dict[int, int] = {}
        self.readers: dict[int, int] = {u: 0 for u in sizes}
        for op in graph.operators:
            for t in op.outputs:
                if t in storage_of:
                    self.writers[storage_of[t]] = self.writers.get(storage_of[t], 0) | (1 << op.index)
            for t in op.inputs:
                if t in storage_of:
                    self.readers[storage_of[t]] |= 1 << op.index
        self.pinned = {storage_of[t] for t in graph.inputs + graph.outputs if t in storage_of}
        self.inputs = {storage_of[t] for t in graph.inputs if t in storage_of}

    def live(self, done: int) -> int:
        """Bytes alive between operators once the operators in `done` have run."""
        total = 0
        for unit, size in self.sizes.items():
            written = unit in self.inputs or (self.writers.get(unit, 0) & done)
            pending = self.readers[unit] & ~done
            if written and (pending or unit in self.pinned):
                total += size
        return total

    def during(self, done: int, op: int) -> int:
        """Bytes alive while `op` runs: what is live before it plus what it writes."""
        total = self.live(done)
        for unit, size in self.sizes.items():
            writes = self.writers.get(unit, 0) & (1 << op)
            already = unit in self.inputs or (self.writers.get(unit, 0) & done)
            if writes and not already:
                total += size
        return total

    def ready(self, done: int) -> list[int]:
        return [o for o in range(self.n) if not done >> o & 1 and self.preds[o] & ~done == 0]


def choose_order(graph: Graph, storage_of: dict[int, int], sizes: dict[int, int]) -> list[int]:
    problem = _Problem(graph, storage_of, sizes)
    if problem.n == 0:
        return []
    order = _exact(problem)
    return order if order is not None else _greedy(problem)


def _exact(problem: _Problem) -> list[int] | None:
    full = (1 << problem.n) - 1
    visited = 0

    @lru_cache(maxsize=None)
    def best(done: int) -> tuple[int, tuple[int, ...]]:
        nonlocal visited
        visited += 1
        if visited > EXACT_SEARCH_STATES:
            raise _TooLarge
        if done == full:
            return 0, ()
        options = []
        for op in problem.ready(done):
            peak, rest = best(done | (1 << op))
            options.append((max(problem.during(done, op), peak), (op,) + rest))
        return min(options)

    try:
        return list(best(0)[1])
    except _TooLarge:
        return None
    except RecursionError:
        return None


class _TooLarge(Exception):
    pass


def _greedy(problem: _Problem) -> list[int]:
    done, order = 0, []
    while len(order) < problem.n:
        op = min(problem.ready(done), key=lambda o: (problem.live(done | (1 << o)), o))
        order.append(op)
        done |= 1 << op
    return order
