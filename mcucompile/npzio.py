"""The .npz files of `mcucompile run`: `input_<i>` of shape (K, *input_shape) in, `output_<j>` out."""
from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .errors import UserError
from .ir import Graph


def load_invocations(path: Path, graph: Graph) -> list[list[np.ndarray]]:
    """Read K invocations' inputs, checking names, dtypes and shapes against the model."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise UserError(f"{path}: cannot read inputs as .npz ({exc}); save them with numpy.savez") from None
    expected = [f"input_{i}" for i in range(len(graph.inputs))]
    missing = [name for name in expected if name not in arrays]
    extra = sorted(set(arrays) - set(expected))
    if missing or extra:
        raise UserError(f"{path}: expected arrays {', '.join(expected)}"
                        + (f"; missing {', '.join(missing)}" if missing else "")
                        + (f"; unexpected {', '.join(extra)}" if extra else ""))
    counts = set()
    for name, index in zip(expected, graph.inputs):
        tensor, array = graph.tensors[index], arrays[name]
        if array.dtype != np.dtype(tensor.dtype):
            raise UserError(f"{path}: {name} is {array.dtype} but the model input {tensor.name!r} is {tensor.dtype}")
        if tuple(array.shape[1:]) != tuple(tensor.shape):
            raise UserError(f"{path}: {name} has shape {list(array.shape)}; expected (K, "
                            f"{', '.join(map(str, tensor.shape))}) for K invocations")
        counts.add(array.shape[0])
    if len(counts) > 1:
        raise UserError(f"{path}: inputs disagree on the number of invocations K: {sorted(counts)}")
    k = counts.pop() if counts else 1
    return [[arrays[name][step] for name in expected] for step in range(k)]


def save_outputs(path: Path, per_invocation: list[list[np.ndarray]]) -> None:
    """Write `output_<j>` stacked over invocations, atomically (no half-written file)."""
    stacked = {f"output_{j}": np.stack([outs[j] for outs in per_invocation])
               for j in range(len(per_invocation[0]))} if per_invocation else {}
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **stacked)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
