"""Running the GNU Arm toolchain: finding its tools and compiling sources to objects in parallel."""
from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import UserError


def required_tool(name: str) -> str:
    """The path of a GNU Arm toolchain or QEMU program, or a one-line error saying how to get it."""
    path = shutil.which(name)
    if path is None:
        raise UserError(f"{name} not found: scripts/setup.sh installs the GNU Arm toolchain and QEMU "
                        "(Debian packages gcc-arm-none-eabi, libnewlib-arm-none-eabi, qemu-system-arm)")
    return path


def compile_objects(sources: list[Path], flags: list[str], objects_dir: Path) -> list[Path]:
    """Compile each source to its own object (named after it, so link maps say where code came
    from), all cores busy; any diagnostic is a failure, since the flags include -Werror."""
    objects_dir.mkdir(parents=True, exist_ok=True)
    compiler = required_tool("arm-none-eabi-gcc")

    def one(numbered: tuple[int, Path]) -> Path:
        number, source = numbered
        target = objects_dir / f"{number}_{source.stem}.o"
        result = subprocess.run([compiler, *flags, "-c", str(source), "-o", str(target)],
                                capture_output=True, text=True)
        if result.returncode != 0 or result.stderr:
            raise RuntimeError(f"arm-none-eabi-gcc failed on {source}:\n{result.stderr}")
        return target

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(one, enumerate(sources)))
