"""Board data files (boards/*.json): core, FPU, memory regions, clock, ecosystem ids, QEMU machine."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError

BOARDS_DIR = Path(__file__).resolve().parents[1] / "boards"
CORES = {"cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"}
QEMU_MACHINES = {"microbit", "mps2-an385", "mps2-an386", "mps2-an500", "mps2-an505", "mps3-an547"}
REGION_KINDS = {"flash", "ram", "tcm", "ccm", "psram"}
REQUIRED = ("name", "description", "core", "fpu", "float_abi", "arch", "clock_hz", "memory", "qemu_machine")


@dataclass(frozen=True)
class Region:
    name: str
    origin: int
    length: int
    kind: str  # "flash" (code, constants), "ram" (general SRAM), or extra: "tcm", "ccm", "psram"


@dataclass(frozen=True)
class Board:
    name: str
    description: str
    core: str
    fpu: str | None
    float_abi: str
    arch: str
    clock_hz: int
    memory: tuple[Region, ...]
    qemu_machine: str
    platformio_board: str | None = None
    arduino_fqbn: str | None = None
    renode_platform: str | None = None
    helium: bool = False

    @property
    def flash(self) -> Region:
        """The region code and constant data go to: the first flash region."""
        return next(r for r in self.memory if r.kind == "flash")

    @property
    def ram(self) -> Region:
        """The region the arena, state and stack go to: the largest RAM region."""
        return max((r for r in self.memory if r.kind == "ram"), key=lambda r: (r.length, -r.origin))

    @property
    def gcc_flags(self) -> tuple[str, ...]:
        flags = [f"-mcpu={self.core}", "-mthumb", f"-mfloat-abi={self.float_abi}"]
        if self.fpu and self.fpu != "auto":
            flags.append(f"-mfpu={self.fpu}")
        return tuple(flags)

    @property
    def has_fpu(self) -> bool:
        return self.float_abi == "hard"

    @property
    def alignment(self) -> int:
        """Tensor alignment: 16 bytes for Helium's vector loads, 4 otherwise."""
        return 16 if self.helium else 4


def _board_from_json(path: Path) -> Board:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: not a readable board file ({exc})") from None
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise UserError(f"{path}: board file lacks {', '.join(missing)}")
    if data["core"] not in CORES:
        raise UserError(f"{path}: unknown core {data['core']!r}; expected one of {', '.join(sorted(CORES))}")
    if data["qemu_machine"] not in QEMU_MACHINES:
        raise UserError(f"{path}: unknown QEMU machine {data['qemu_machine']!r}")
    regions = tuple(Region(r["name"], int(r["origin"], 16), int(r["length"]), r["kind"]) for r in data["memory"])
    unknown_kinds = {r.kind for r in regions} - REGION_KINDS
    if unknown_kinds:
        raise UserError(f"{path}: unknown memory region kind {', '.join(sorted(unknown_kinds))}")
    if not any(r.kind == "flash" for r in regions) or not any(r.kind == "ram" for r in regions):
        raise UserError(f"{path}: a board needs at least one flash and one ram region")
    return Board(name=data["name"], description=data["description"], core=data["core"], fpu=data["fpu"],
                 float_abi=data["float_abi"], arch=data["arch"], clock_hz=int(data["clock_hz"]), memory=regions,
                 qemu_machine=data["qemu_machine"], platformio_board=data.get("platformio_board"),
                 arduino_fqbn=data.get("arduino_fqbn"), renode_platform=data.get("renode_platform"),
                 helium=bool(data.get("helium", False)))


def board_names() -> list[str]:
    return sorted(p.stem for p in BOARDS_DIR.glob("*.json"))


def load_board(name: str) -> Board:
    path = BOARDS_DIR / f"{name}.json"
    if not path.is_file():
        raise UserError(f"unknown board {name!r}; `mcucompile boards` lists them: {', '.join(board_names())}")
    board = _board_from_json(path)
    if board.name != name:
        raise UserError(f"{path}: its name field says {board.name!r}; rename one of them")
    return board
