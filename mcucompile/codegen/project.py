"""Write a generated model and the runtime sources it needs into a directory."""
from __future__ import annotations

import shutil
from pathlib import Path

from .model_source import RUNTIME, GeneratedModel


def runtime_headers() -> list[Path]:
    return sorted(p for p in (RUNTIME / "include").rglob("*.h"))


def write_sources(generated: GeneratedModel, directory: Path) -> list[Path]:
    """model .c/.h, the runtime headers under include/ and only the runtime .c files used.
    Returns the C files to compile."""
    directory.mkdir(parents=True, exist_ok=True)
    c_files = []
    for name, text in generated.files.items():
        (directory / name).write_text(text)
        if name.endswith(".c"):
            c_files.append(directory / name)
    for header in runtime_headers():
        target = directory / "include" / header.relative_to(RUNTIME / "include")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(header, target)
    for source in generated.runtime_sources:
        target = directory / "runtime" / source
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(RUNTIME / "src" / source, target)
        c_files.append(target)
    return c_files
