"""Each simple pass on its own: what it changes, what it leaves, and that results stay exact."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.errors import UserError
from mcucompile.executor import Executor
from mcucompile.passes import PASSES, run_passes
from mcucompile.passes.aliases import alias_reshapes
from mcucompile.passes.dead_code import remove_dead_operators
from mcucompile.passes.fold_constants import fold_constants
from mcucompile.passes.in_place import mark_in_place
from mcucompile.planning.plan import plan_memory
from mcucompile.reader import read_model
from tests.support.modelbuilder import ModelBuilder


def _float_chain() -> bytes:
    """x -> RESHAPE -> ADD(const folded from two constants) -> RELU -> y, plus a dead branch."""
    b = ModelBuilder()
    x = b.tensor([1, 6], "float32")
    flat = b.tensor([6], "float32")
    shape = b.const(np.array([6], np.int32), "int32")
    c1 = b.const(np.arange(6, dtype=np.float32), "float32")
    c2 = b.const(np.full(6, 0.5, np.float32), "float32")
    c3 = b.tensor([6], "float32")
    added = b.tensor([6], "float32")
    y = b.tensor([6], "float32")
    unused = b.tensor([6], "float32")
    b.op("RESHAPE", [x, shape], [flat], "ReshapeOptions", new_shape=[6])
    b.op("ADD", [c1, c2], [c3], "AddOptions")
    b.op("ADD", [flat, c3], [added], "AddOptions")
    b.op("RELU", [added], [y])
    b.op("RELU", [flat], [unused])
    b.io([x], [y])
    return b.build()


def test_fold_constants_evaluates_constant_operators():
    model = read_model(_float_chain())
    folded = fold_constants(model)
    assert [op.kind for op in folded.main.operators] == ["RESHAPE", "ADD", "RELU", "RELU"]
    np.testing.assert_array_equal(folded.main.tensors[5].data, np.arange(6, dtype=np.float32) + 0.5)
    assert model.main.tensors[5].data is None, "the pass must not change its input model"


def test_remove_dead_drops_unread_results():
    model = remove_dead_operators(read_model(_float_chain()))
    assert [op.kind for op in model.main.operators] == ["RESHAPE", "ADD", "ADD", "RELU"]
    assert [op.index for op in model.main.operators] == [0, 1, 2, 3]


def test_remove_dead_keeps_state_writes():
    b = ModelBuilder()
    x = b.tensor([1, 2], "int8", scale=0.5, zero_point=0)
    handle = b.tensor([], "resource")
    b.op("VAR_HANDLE", [], [handle], "VarHandleOptions", shared_name="s")
    b.op("ASSIGN_VARIABLE", [handle, x], [])
    b.io([x], [x])
    assert [op.kind for op in remove_dead_operators(read_model(b.build())).main.operators] == \
        ["VAR_HANDLE", "ASSIGN_VARIABLE"]


def test_alias_reshapes_share_bytes():
    model = alias_reshapes(read_model(_float_chain()))
    reshape = model.main.operators[0]
    assert (reshape.shares_input, reshape.sharing) == (0, "alias")
    plan = plan_memory(model)
    assert plan.offset(0, 0) == plan.offset(0, 1)


def test_in_place_marks_elementwise_over_same_shape_input():
    model = mark_in_place(read_model(_float_chain()))
    add, relu = model.main.operators[2], model.main.operators[3]
    assert (add.shares_input, add.sharing) == (0, "overwrite")
    assert (relu.shares_input, relu.sharing) == (0, "overwrite")


def test_all_passes_keep_results_exact():
    data = _float_chain()
    x = [np.linspace(-3, 3, 6, dtype=np.float32).reshape(1, 6)]
    plain = Executor(read_model(data)).invoke(x)
    optimised_model = run_passes(read_model(data))
    optimised = Executor(optimised_model, plan_memory(optimised_model)).invoke(x)
    assert plain[0].tobytes() == optimised[0].tobytes()


def test_unknown_pass_name():
    with pytest.raises(UserError, match="unknown pass no-such-pass"):
        run_passes(read_model(_float_chain()), ["no-such-pass"])


def test_passes_can_be_turned_off():
    model = run_passes(read_model(_float_chain()), PASSES.keys())
    assert len(model.main.operators) == 5
