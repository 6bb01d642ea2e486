"""Reading a PolNeAR split (brat standoff) into plain attribution records.

A split folder holds ``text/<id>.txt`` and ``attributions/<id>_<annotator>.ann``.
When an article has several annotators, the file whose annotator id sorts first
is the canonical one (the corpus README's rule, also the scorer's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

ROLES = ("cue", "source", "content")
_RECORD = re.compile(r"^[TEARMN#*]\d*\t")

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    cue: Fragments
    source: Fragments
    content: Fragments

    def role(self, name: str) -> Fragments:
        return getattr(self, name)


@dataclass(frozen=True, slots=True)
class GoldDocument:
    id: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    annotator: str | None


def read_text(path: Path) -> str:
    # newline="" keeps offsets identical to the annotation's code-point offsets.
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def parse_ann(raw: str) -> list[GoldAttribution]:
    """Parse one brat ``.ann`` text into attributions (events without arguments skipped)."""
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    records: list[str] = []
    for line in lines:
        if _RECORD.match(line) or not records:
            records.append(line)
        else:  # a span text containing a newline continues on the next line
            records[-1] += "\n" + line
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for record in records:
        if "\t" not in record:
            continue
        rid, rest = record.split("\t", 1)
        if rid.startswith("T"):
            type_offsets = rest.partition("\t")[0]
            offsets = type_offsets.partition(" ")[2]
            frags = []
            for piece in offsets.split(";"):
                start, end = piece.split()
                frags.append((int(start), int(end)))
            spans[rid] = frags
        elif rid.startswith("E"):
            parts = rest.split()
            if not parts or ":" not in parts[0]:
                continue
            trigger = parts[0].split(":", 1)[1]
            args = [tuple(p.split(":", 1)) for p in parts[1:] if ":" in p]
            events.append((trigger, args))  # type: ignore[arg-type]
    out: list[GoldAttribution] = []
    seen: set[tuple] = set()
    for trigger, args in events:
        if not args:
            continue
        roles: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        for role, tid in args:
            base = role.rstrip("0123456789").lower()
            if base in roles:
                roles[base].extend(spans.get(tid, []))
        if not roles["cue"] and trigger in spans:
            roles["cue"] = list(spans[trigger])
        key = tuple(tuple(sorted(roles[r])) for r in ROLES)
        if key in seen:
            continue
        seen.add(key)
        out.append(GoldAttribution(*key))
    return out


def read_split(split_dir: str | Path) -> list[GoldDocument]:
    """Every document of a PolNeAR-format split, sorted by id."""
    root = Path(split_dir)
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir():
        raise InputError(
            "not a PolNeAR split: expected a text/ folder (and attributions/ for gold)", source=str(root)
        )
    annotators: dict[str, list[str]] = {}
    if ann_dir.is_dir():
        for path in ann_dir.glob("*.ann"):
            doc_id, _, annotator = path.stem.rpartition("_")
            annotators.setdefault(doc_id, []).append(annotator)
    docs = []
    for path in sorted(text_dir.glob("*.txt")):
        doc_id = path.stem
        text = read_text(path)
        chosen = min(annotators[doc_id]) if doc_id in annotators else None
        atts: list[GoldAttribution] = []
        if chosen is not None:
            atts = parse_ann(read_text(ann_dir / f"{doc_id}_{chosen}.ann"))
        docs.append(GoldDocument(doc_id, text, tuple(atts), chosen))
    return docs
