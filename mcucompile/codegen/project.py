"""Write a generated model and the runtime sources it needs into a directory."""
from __future__ import annotations

import shutil
from pathlib import Path

from .model_source import RUNTIME, GeneratedModel


def runtime_headers() -> list[Path]:
    return sorted(p for p in (RUNTIME / "include").rglob("*.h"))


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _place(generated: GeneratedModel, model_headers: Path, model_sources: Path, runtime_includes: Path,
           runtime_sources: Path) -> list[Path]:
    c_files = []
    for name, text in generated.files.items():
        target = (model_sources if name.endswith(".c") else model_headers) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if name.endswith(".c"):
            c_files.append(target)
    for header in runtime_headers():
        _copy(header, runtime_includes / header.relative_to(RUNTIME / "include"))
    for source in generated.runtime_sources:
        c_files.append(_copy(RUNTIME / "src" / source, runtime_sources / source))
    return c_files


def write_sources(generated: GeneratedModel, directory: Path) -> list[Path]:
    """model .c/.h, the runtime headers under include/ and only the runtime .c files used (under
    runtime/). Returns the C files to compile."""
    return _place(generated, directory, directory, directory / "include", directory / "runtime")


def write_split_sources(generated: GeneratedModel, include_dir: Path, source_dir: Path) -> list[Path]:
    """Library layout: the model's header and every runtime header (mcu_kernels/ kept) under
    include_dir; the model's .c and only the runtime .c files used under source_dir. Returns the
    C files."""
    return _place(generated, include_dir, source_dir, include_dir, source_dir)
