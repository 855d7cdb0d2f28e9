"""The front of the pipeline every command shares: read -> check support -> graph passes."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .ir import Model
from .passes import run_passes
from .reader import read_model_file
from .support import check_supported


def load_model(path: str | Path, disabled_passes: Iterable[str] = ()) -> Model:
    model = read_model_file(path)
    check_supported(model)
    return run_passes(model, disabled_passes)
