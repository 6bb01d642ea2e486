"""Checking extraction against a hand-annotated article in the seed format.

The seed format (``<name>.gold.json`` next to ``<name>.txt``) lists, per
attribution, the exact cue offsets, a phrase inside the content
(``content_anchor``; content boundaries may legitimately vary) and the
speaker's canonical name.  An attribution is *found* when a predicted one has a
cue overlapping the gold cue and a content overlapping the anchor; its speaker
is *right* when the predicted speaker's name equals the gold name (compared
without case, articles or punctuation).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..records import Attribution, Span


def normalise_name(name: str | None) -> str:
    if not name:
        return ""
    name = re.sub(r"[’'`]s\b", "", name.lower())
    words = [w for w in re.findall(r"\w+", name) if w not in ("the", "a", "an")]
    return " ".join(words)


@dataclass(frozen=True)
class SeedMatch:
    gold_cue: str
    gold_speaker: str
    found: bool
    predicted_speaker: str | None
    speaker_right: bool


@dataclass(frozen=True)
class SeedReport:
    total: int
    found: int
    speaker_right: int
    matches: tuple[SeedMatch, ...]


def load_seed(gold_path: str | Path) -> tuple[str, dict]:
    gold_path = Path(gold_path)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (gold_path.parent / gold["text_file"]).read_text(encoding="utf-8")
    return text, gold


def check(gold: dict, predicted: tuple[Attribution, ...]) -> SeedReport:
    matches = []
    for g in gold["attributions"]:
        cue = Span(*g["cue"])
        anchor = Span(*g["content_anchor"])
        hits = [a for a in predicted if any(c.overlaps(cue) for c in a.cue) and any(c.overlaps(anchor) for c in a.content)]
        spoken = hits[0].speaker.name if hits and hits[0].speaker else None
        right = any(a.speaker and normalise_name(a.speaker.name) == normalise_name(g["speaker"]) for a in hits)
        matches.append(SeedMatch(g["cue_text"], g["speaker"], bool(hits), spoken, right))
    return SeedReport(len(matches), sum(m.found for m in matches), sum(m.speaker_right for m in matches), tuple(matches))
