"""Numbers, arrays and names written as C99 source text, exactly (floats as hex literals)."""
from __future__ import annotations

import math
import re
import textwrap

import numpy as np

C_TYPES = {
    "int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t", "int32": "int32_t", "int64": "int64_t",
    "float32": "float", "bool": "uint8_t",
}


def c_identifier(text: str) -> str:
    name = re.sub(r"[^0-9A-Za-z_]", "_", text).strip("_") or "model"
    return "m_" + name if name[0].isdigit() else name


def c_float(value: float) -> str:
    value = float(np.float32(value))
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INFINITY" if value > 0 else "-INFINITY"
    return float.hex(value) + "f"


def c_int(value: int, ctype: str = "int32_t") -> str:
    value = int(value)
    if ctype == "int64_t":
        return "INT64_MIN" if value == -(1 << 63) else f"INT64_C({value})"
    if value == -(1 << 31):
        return "INT32_MIN"
    return str(value)


def c_scalar(value, ctype: str) -> str:
    return c_float(value) if ctype == "float" else c_int(value, ctype)


def c_array_body(values: np.ndarray, ctype: str, per_line: int = 16) -> str:
    flat = np.asarray(values).reshape(-1)
    if flat.dtype == np.bool_:
        flat = flat.astype(np.uint8)
    items = [c_scalar(v, ctype) for v in flat.tolist()] or ["0"]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "{\n    " + ",\n    ".join(lines) + "\n}"


def _byte_escapes(text: str) -> list[tuple[str, str]]:
    """Each byte of `text` in UTF-8: (printable ASCII character or "", its octal escape)."""
    return [(chr(b) if 0x20 <= b < 0x7F else "", f"\\{b:03o}") for b in text.encode("utf-8")]


def c_string(text: str, width: int = 72) -> list[str]:
    """`text` as C99 string literals of at most `width` characters between the quotes, to be
    written side by side (the compiler joins them). Quotes and backslashes are escaped, a '?'
    after a '?' too (no trigraphs), and every byte outside printable ASCII is an octal escape
    of three digits (so a following digit cannot extend it)."""
    pieces, previous = [""], ""
    for char, octal in _byte_escapes(text):
        escaped = octal if not char else "\\" + char if char in '"\\' or char + previous == "??" else char
        if pieces[-1] and len(pieces[-1]) + len(escaped) > width:
            pieces.append("")
        pieces[-1] += escaped
        previous = char
    return [f'"{piece}"' for piece in pieces]


def c_comment_text(text: str) -> str:
    """`text` on one line, safe inside a C block comment: bytes outside printable ASCII as octal
    escapes, no "*/", "/*" or "??" (a trigraph) left, and no backslash at the end (a line splice)."""
    text = "".join(char or octal for char, octal in _byte_escapes(" ".join(text.split())))
    while True:
        safe = text.replace("*/", "* /").replace("/*", "/ *").replace("??", "? ?")
        if safe == text:
            return text + " " if text.endswith("\\") else text
        text = safe


def c_comment_lines(text: str, width: int = 96) -> list[str]:
    return [c_comment_text(line) for line in textwrap.wrap(" ".join(text.split()), width)]
