"""Reading input documents, with a clear error for everything that is not usable text."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError

MAX_BYTES = 1_000_000  # a long feature article is ~100 kB; spaCy parses up to ~1 M characters at a time
_WORD = re.compile(r"[A-Za-z]+")
_ENGLISH = frozenset(
    "the of and to a in that is was he she it for on said with as by his her at from they be this have has "
    "are were not but an which who their will would its been had or we i you".split()
)


@dataclass(frozen=True, slots=True)
class InputDocument:
    id: str  # file name without .txt, or "stdin"
    origin: str  # path as given, or "-"
    text: str


def decode(data: bytes, *, origin: str, max_bytes: int = MAX_BYTES) -> str:
    """Bytes to text, or an InputError saying exactly why not."""
    if len(data) > max_bytes:
        raise InputError(
            f"{len(data) / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.1f} MB limit for one article; "
            "split it, or raise the limit with --max-bytes",
            source=origin,
        )
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file (it contains NUL bytes), not text", source=origin)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"is not valid UTF-8 (bad byte 0x{data[err.start]:02x} at offset {err.start}); "
            "convert it, e.g. iconv -f latin1 -t utf-8",
            source=origin,
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("is empty (no text to read)", source=origin)
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 20000):
        raise InputError("looks like a binary file (many control characters), not text", source=origin)
    return text


def read_bytes(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes, refusing (before reading) one larger than ``max_bytes``."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.1f} MB limit for one article; "
                "split it, or raise the limit with --max-bytes",
                source=origin,
            )
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot be read ({err.strerror or err})", source=origin) from None


def looks_english(text: str, *, minimum: float = 0.08) -> bool:
    """A cheap guard: English news has plenty of function words; other languages do not."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < 8:
        return len(words) > 0
    return sum(w in _ENGLISH for w in words) / len(words) >= minimum


def read_document(path: str | Path, *, max_bytes: int = MAX_BYTES) -> InputDocument:
    """One .txt file (or ``-`` for stdin) as an InputDocument."""
    origin = str(path)
    if origin == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return InputDocument("stdin", "-", decode(data, origin="<stdin>", max_bytes=max_bytes))
    p = Path(path)
    text = decode(read_bytes(p, max_bytes=max_bytes), origin=origin, max_bytes=max_bytes)
    # Offsets are code points into the file as it is: never translate newlines.
    return InputDocument(p.stem if p.suffix == ".txt" else p.name, origin, text)


def iter_paths(paths: Iterable[str | Path], *, suffixes: tuple[str, ...] = (".txt",)) -> Iterator[str]:
    """Files to read, folders expanded recursively in sorted order; ``-`` passes through."""
    for raw in paths:
        if str(raw) == "-":
            yield "-"
            continue
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in suffixes:
                    yield str(child)
        else:
            # A missing path is reported by read_document like any unreadable file, so the batch goes on.
            yield str(p)
