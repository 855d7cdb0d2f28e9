"""Graph passes: small functions Model -> Model, each with one job, run in a fixed order.

A pass never changes what the model computes: the bit-exact tests run with every pass on.
`run_passes(model, disabled={"fold-pad"})` turns passes off by name for debugging.
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..errors import UserError
from ..ir import Model
from .aliases import alias_reshapes
from .concat_in_place import mark_concat_in_place
from .dead_code import remove_dead_operators
from .fold_constants import fold_constants
from .fold_pad import fold_pad
from .in_place import mark_in_place
from .merge_activation import merge_activations
from .requantize import cancel_requantize

Pass = Callable[[Model], Model]

PASSES: dict[str, Pass] = {
    "fold-constants": fold_constants,
    "cancel-requantize": cancel_requantize,
    "fold-pad": fold_pad,
    "merge-activation": merge_activations,
    "remove-dead": remove_dead_operators,
    "alias-reshapes": alias_reshapes,
    "in-place": mark_in_place,
    "concat-in-place": mark_concat_in_place,
}


def run_passes(model: Model, disabled: Iterable[str] = ()) -> Model:
    disabled = set(disabled)
    unknown = disabled - PASSES.keys()
    if unknown:
        raise UserError(f"unknown pass {', '.join(sorted(unknown))}; passes are {', '.join(PASSES)}")
    for name, run in PASSES.items():
        if name not in disabled:
            model = run(model)
    return model
