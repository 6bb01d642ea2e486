"""Turning token-level findings into :class:`~onrecord.records.Attribution` records."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from ..records import Attribution, AttributionKind, Span, spans_text
from . import lexicon
from .nested import NESTED
from .quotes import MARKS, Quote
from .ranges import Ranges
from .rules import LAYOUT_KINDS, RawAttribution
from .source_runs import asked_opening
from .speakers import SpeakerResolver, cue_subject

QUOTE_CHARS = "\"“”«»„‘’"


def _char_spans(doc: Doc, token_spans: list[tuple[int, int]], text: str) -> tuple[Span, ...]:
    out = []
    for i, j in sorted(token_spans):
        if j <= i:
            continue
        start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1])
        if out and text[out[-1].end : start].strip() == "":
            out[-1] = Span(out[-1].start, end)  # adjacent fragments are one span
        else:
            out.append(Span(start, end))
    return tuple(out)


def _cue_spans(doc: Doc, cue: list[int], text: str) -> tuple[Span, ...]:
    cue = sorted(cue)
    # "added:" → "added": edge punctuation is not part of the cue (a bare headline ":" is).
    while len(cue) > 1 and doc[cue[-1]].is_punct:
        cue.pop()
    while len(cue) > 1 and doc[cue[0]].is_punct:
        cue.pop(0)
    runs: list[tuple[int, int]] = []
    for i in cue:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    spans = []
    for span in _char_spans(doc, runs, text):
        # A quotation mark glued to the cue token ("”―") is not part of the cue; an apostrophe inside a
        # word is ("Trump’s claiming", "voters’ demands").
        start, end = span.start, span.end
        while end - start > 1 and text[start] in MARKS and not text[start + 1].isalnum():
            start += 1
        while end - start > 1 and text[end - 1] in MARKS and not text[end - 2].isalnum():
            end -= 1
        spans.append(Span(start, end))
    return tuple(spans)


def _without_trailing_dash(spans: tuple[Span, ...], text: str) -> tuple[Span, ...]:
    """``“We need help now.”―``: a signature dash glued to the closing mark belongs to the cue."""
    if spans and spans[-1].end - spans[-1].start > 1 and text[spans[-1].end - 1] in "―—–" \
            and text[spans[-1].end - 2] in MARKS:
        return (*spans[:-1], Span(spans[-1].start, spans[-1].end - 1))
    return spans


def classify(doc: Doc, raw: RawAttribution, content: tuple[Span, ...], quotes: Ranges[Quote] | list[Quote],
             text: str) -> AttributionKind:
    if raw.kind_hint == "according_to":
        return AttributionKind.ACCORDING_TO
    if raw.kind_hint in LAYOUT_KINDS:  # a signed quotation or a transcript's turn: the speaker's own words
        return AttributionKind.DIRECT
    if raw.kind_hint == NESTED:  # reported by the outer speaker, even inside a quotation
        lemmas = {doc[i].lemma_.lower() for i in raw.cue}
        thinking = lemmas & lexicon.BELIEF_VERBS and not lemmas & (lexicon.SPEECH_VERBS | lexicon.PROPOSAL_VERBS)
        return AttributionKind.BELIEF if thinking else AttributionKind.INDIRECT
    if raw.kind_hint == "nominal" or all(doc[i].pos_ == "NOUN" for i in raw.cue):
        return AttributionKind.NOMINAL
    if not isinstance(quotes, Ranges):
        quotes = quote_ranges(quotes)
    inside = 0
    total = 0
    for span in content:
        for q in quotes.overlapping(span.start, span.end):
            lo, hi = max(span.start, q.start), min(span.end, q.end)
            if lo < hi:
                inside += hi - lo
        total += span.end - span.start
    content_text = spans_text(content, text)
    if total and inside >= 0.9 * total:
        return AttributionKind.DIRECT
    if inside or any(c in content_text for c in "“”«»\""):
        return AttributionKind.MIXED
    if raw.kind_hint == "belief":
        return AttributionKind.BELIEF
    lemmas = {doc[i].lemma_.lower() for i in raw.cue}
    if lemmas & (lexicon.BELIEF_VERBS | lexicon.BELIEF_ADJECTIVES) and not lemmas & lexicon.SPEECH_VERBS:
        return AttributionKind.BELIEF
    return AttributionKind.INDIRECT


def quote_ranges(quotes: list[Quote]) -> Ranges[Quote]:
    return Ranges(quotes, start=lambda q: q.start, end=lambda q: q.end)


def to_records(
    doc: Doc, raws: list[RawAttribution], quotes: list[Quote], *, resolve: bool = True, text: str | None = None
) -> list[Attribution]:
    """Records in reading order, with speakers resolved left to right."""
    text = doc.text if text is None else text
    resolver = SpeakerResolver(doc, text, quotes) if resolve else None
    records = []
    quoted = quote_ranges(quotes)
    resolved: list[int] = []  # index in records of each speaker the resolver gave, in order
    index_of: dict[int, int] = {}  # id of a raw attribution → its index in records
    for raw in sorted(raws, key=lambda r: min(r.cue)):
        cue = _cue_spans(doc, raw.cue, text)
        content = _without_trailing_dash(_char_spans(doc, raw.content, text), text)
        source = _char_spans(doc, raw.source, text)
        if not cue:
            continue
        speaker = None
        if resolver is not None:
            resolver.observe_until(cue[0].start)
            if raw.source:
                i, j = min(raw.source)
                # a source cut in pieces ("New" + "Vice President Joe Biden") is read whole within its sentence
                last = max(end for _, end in raw.source)
                if last > j and doc[i].sent.end >= last:
                    j = last
                speaker = resolver.resolve(doc[i:j], cue=doc[min(raw.cue)])
                resolved.append(len(records))
            elif not asked_opening(doc, raw.cue) and (subject := cue_subject(doc, raw.cue)) is not None:
                # no source span: the cue verb's subject (not the one asked in "Asked about it, she said")
                speaker = resolver.resolve(subject, cue=doc[min(raw.cue)])
                resolved.append(len(records))
        index_of[id(raw)] = len(records)
        records.append(
            Attribution(
                cue=cue,
                content=content,
                source=source,
                kind=classify(doc, raw, content, quoted, text),
                speaker=speaker,
                confidence=max(0.0, min(1.0, raw.confidence)),
                cue_text=spans_text(cue, text),
                content_text=spans_text(content, text),
                source_text=spans_text(source, text),
            )
        )
    if resolver is not None and resolved:
        for order, speaker in resolver.revised().items():
            at = resolved[order]
            records[at] = replace(records[at], speaker=speaker)
    for raw in raws:  # a speaker taken from another attribution ("I said it" inside that one's quotation)
        if raw.speaker_of is not None and id(raw) in index_of and id(raw.speaker_of) in index_of:
            k = index_of[id(raw)]
            records[k] = replace(records[k], speaker=records[index_of[id(raw.speaker_of)]].speaker)
    return records
