"""Where a project goes: never into a non-empty directory mcucompile did not make, never
half-written.

A project is written into a temporary directory beside its target and renamed into place at the
end. A directory mcucompile made (it holds the marker file) is replaced only with --force: it is
renamed aside, the new one renamed in, then the old one deleted. A foreign non-empty directory is
never touched, --force or not."""
from __future__ import annotations

import json
import os
import secrets
import shutil
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Iterator

from ..errors import UserError

MARKER = ".mcucompile.json"


def _non_empty(directory: Path) -> bool:
    return any(directory.iterdir())


def check_target(target: Path, force: bool) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UserError(f"{target} exists and is not a directory; choose another -o")
    cwd = Path.cwd().resolve()
    if target.resolve() in (cwd, *cwd.parents):
        raise UserError(f"{target} is the current directory or holds it; name a new directory with -o")
    if not target.exists() or not _non_empty(target):
        return
    if not (target / MARKER).is_file():
        raise UserError(f"{target} is not empty and mcucompile did not make it (no {MARKER}); "
                        "choose another -o or empty it")
    if not force:
        raise UserError(f"{target} already holds a project mcucompile made; pass --force to replace it")


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{secrets.token_hex(4)}"


def _make_parents(directory: Path) -> list[Path]:
    """Create the missing ancestors of `directory`; returns them, deepest first."""
    missing = [parent for parent in [directory, *directory.parents] if not parent.exists()]
    for parent in reversed(missing):
        parent.mkdir()
    return missing


def _install(staging: Path, target: Path) -> None:
    if not target.exists() or not _non_empty(target):
        os.replace(staging, target)  # rename(2) also replaces an empty directory
        return
    old = _sibling(target, "old")
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old)


@contextmanager
def staged(target: Path, force: bool, marker: dict) -> Iterator[Path]:
    """Yield an empty directory to write the project into; on success, add the marker and move
    it to `target`; on any failure, remove it and every directory created for it."""
    check_target(target, force)
    target = target.resolve()
    created = _make_parents(target.parent)
    staging = _sibling(target, "new")
    staging.mkdir()
    try:
        yield staging
        (staging / MARKER).write_text(json.dumps(marker, indent=1) + "\n")
        _install(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for parent in created:
            with suppress(OSError):
                parent.rmdir()
        raise
