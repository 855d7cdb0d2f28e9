"""Memory plans: no two tensors alive at once share bytes unless the sharing is legal, the arena
never goes below the bound, and planning is deterministic."""
from __future__ import annotations

from hypothesis import given, settings

from mcucompile.ir import Model
from mcucompile.passes.aliases import alias_reshapes
from mcucompile.passes.concat_in_place import mark_concat_in_place
from mcucompile.passes.in_place import mark_in_place
from mcucompile.planning.plan import MemoryPlan, plan_memory
from mcucompile.planning.timeline import TensorRef
from mcucompile.reader import read_model_file
from tests.planning.randomgraphs import random_models
from tests.support.corpus import model_path


def _with_sharing(model: Model) -> Model:
    return mark_concat_in_place(mark_in_place(alias_reshapes(model)))


def _check_order(model: Model, plan: MemoryPlan) -> None:
    graph = model.main
    produced = set(graph.inputs) | {t.index for t in graph.tensors if t.is_constant}
    assert sorted(plan.main_order) == list(range(len(graph.operators)))
    for op_index in plan.main_order:
        op = graph.operators[op_index]
        assert all(t in produced for t in op.inputs if t >= 0), "operator runs before its inputs exist"
        produced.update(op.outputs)


def _legal_sharing(model: Model, plan: MemoryPlan, a: TensorRef, b: TensorRef) -> bool:
    """Two tensors may share a buffer only through an alias or an overwrite at the input's last use."""
    step_of = {s: i for i, s in enumerate(plan.steps)}
    for (g, o) in plan.steps:
        op = model.graphs[g].operators[o]
        if g != a.graph:
            continue
        if op.sharing == "slices" and {a, b} <= {TensorRef(g, t) for t in op.inputs + op.outputs} \
                and TensorRef(g, op.outputs[0]) in (a, b):
            return True
        if op.shares_input is None:
            continue
        pair = {TensorRef(g, op.inputs[op.shares_input]), TensorRef(g, op.outputs[0])}
        if {a, b} == pair:
            if op.sharing == "alias":
                return True
            source = TensorRef(g, op.inputs[op.shares_input])
            return plan.placements[source].last >= step_of[(g, o)]
    return False


def _check_no_overlap(model: Model, plan: MemoryPlan) -> None:
    placements = list(plan.placements.values())
    for i, p in enumerate(placements):
        assert p.offset % plan.alignment == 0
        assert p.offset + p.size <= plan.arena_bytes
        for q in placements[i + 1:]:
            alive_together = p.first <= q.last and q.first <= p.last
            bytes_overlap = p.offset < q.offset + q.size and q.offset < p.offset + p.size
            if alive_together and bytes_overlap:
                assert p.buffer == q.buffer, f"{p.name} and {q.name} overlap while both alive"


def _check_buffers_legal(model: Model, plan: MemoryPlan) -> None:
    for buffer in plan.buffers:
        for a in buffer.tensors if len(buffer.tensors) > 1 else ():
            # Each member must be linked to another member by a legal sharing operator.
            assert any(_legal_sharing(model, plan, a, b) or _legal_sharing(model, plan, b, a)
                       for b in buffer.tensors if b != a), f"{a} shares bytes illegally"


@settings(max_examples=150, deadline=None)
@given(random_models())
def test_random_plans_are_sound(model):
    model = _with_sharing(model)
    plan = plan_memory(model)
    _check_order(model, plan)
    _check_no_overlap(model, plan)
    _check_buffers_legal(model, plan)
    assert plan.arena_bytes >= plan.lower_bound_bytes
    assert plan.lower_bound_bytes >= max((b.size for b in plan.buffers), default=0)


@settings(max_examples=50, deadline=None)
@given(random_models())
def test_planning_is_deterministic(model):
    model = _with_sharing(model)
    first, second = plan_memory(model), plan_memory(model)
    assert first.main_order == second.main_order
    assert {r: p.offset for r, p in first.placements.items()} == {r: p.offset for r, p in second.placements.items()}


def test_branching_order_lowers_peak():
    """Two branches from one input, each a big intermediate then a small result: running one
    branch to completion before starting the other keeps only one big tensor alive."""
    from mcucompile.ir import Graph, Operator, Tensor
    t = lambda i, n: Tensor(index=i, name=f"t{i}", shape=(n,), dtype="int8")
    tensors = [t(0, 4), t(1, 1000), t(2, 1000), t(3, 4), t(4, 4), t(5, 4)]
    ops = [Operator(0, "CONV_2D", (0,), (1,)), Operator(1, "CONV_2D", (0,), (2,)),
           Operator(2, "CONV_2D", (1,), (3,)), Operator(3, "CONV_2D", (2,), (4,)),
           Operator(4, "ADD", (3, 4), (5,))]
    model = Model(graphs=[Graph("g", tensors, ops, (0,), (5,))])
    plan = plan_memory(model)
    assert plan.main_order.index(2) < plan.main_order.index(1)
    assert plan.lower_bound_bytes == 1008 and plan.arena_bytes == 1008  # t0 + t1 + t3
    naive = plan_memory(model, reorder=False)
    assert naive.lower_bound_bytes == 2004


def test_chain_model_arena_equals_bound():
    model = _with_sharing(read_model_file(model_path("mlperf_kws_dscnn_int8")))
    plan = plan_memory(model)
    assert plan.arena_bytes == plan.lower_bound_bytes == 16000


def test_helium_alignment():
    model = read_model_file(model_path("tflm_micro_speech_int8"))
    plan = plan_memory(model, alignment=16)
    assert all(p.offset % 16 == 0 for p in plan.placements.values())
