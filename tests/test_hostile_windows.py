"""Issue 15 item 4: a long article is parsed in bounded windows, and nothing else about it changes.

The base pipeline's memory grows with the length of the Doc it parses (the
parser precomputes features for every token at once), so a text longer than
``windows.WINDOW_CHARS`` is parsed window by window and joined into one Doc.
These tests use small windows on a text a test can afford to parse twice.
"""

from __future__ import annotations

import pytest

from onrecord.analysis import ArticleMeta, process_texts
from onrecord.nlp import windows

PEOPLE = [("Mayor", "Helen Okafor"), ("Councillor", "Tomas Lindqvist"), ("Minister", "Ivo Petrov")]
THINGS = ["harbour", "bridge", "tram line", "school", "flood barrier"]


def _article(paragraphs: int) -> str:
    out = []
    for i in range(paragraphs):
        title, person = PEOPLE[i % 3]
        other = PEOPLE[(i + 1) % 3][1]
        thing = THINGS[i % 5]
        out.append(f"\u201cThe {thing} will open in May,\u201d {title} {person} said on Tuesday. "
                   f"{other.split()[-1]} disputed that, saying the {thing} had cost {i + 3} million more than planned. "
                   f"He told reporters the council would vote again.")
    return "\n\n".join(out)


TEXT = _article(24)  # about 5,000 characters
SIZE = 1500  # so TEXT takes four windows


def _plain(atts):
    """Everything an attribution says except its confidence (which the tok2vec context at a cut can nudge)."""
    return [(a.cue, a.content, a.source, a.kind, a.speaker, a.cue_text, a.content_text, a.source_text)
            for a in atts]


@pytest.fixture(scope="module")
def whole(extractor):
    return extractor.nlp(TEXT)


@pytest.fixture(scope="module")
def windowed(extractor):
    return windows.parse(extractor.nlp, TEXT, SIZE)


def test_windows_cover_the_text_and_cut_after_a_paragraph():
    bounds = windows.window_bounds(TEXT, SIZE)
    assert len(bounds) >= 4
    assert bounds[0][0] == 0 and bounds[-1][1] == len(TEXT)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(0 < end - start <= SIZE for start, end in bounds)
    assert all(TEXT[end - 1] == "\n" for _, end in bounds[:-1])


@pytest.mark.parametrize("text, cut_after", [
    ("One sentence here. " * 200, ". "),  # no newline: after a sentence's end
    ("word " * 800, " "),  # no sentence end: after a space
])
def test_windows_without_paragraphs(text, cut_after):
    bounds = windows.window_bounds(text, 1000)
    assert "".join(text[a:b] for a, b in bounds) == text
    assert all(b - a <= 1000 for a, b in bounds)
    assert all(text[:b].endswith(cut_after) for _, b in bounds[:-1])


def test_a_text_dense_in_tokens_gets_windows_of_few_tokens():
    text = ("[" * 5 + "]" * 5 + " ") * 3000  # 33,000 characters, one token each (but the spaces)
    assert windows.needs_windows(text) and not windows.needs_windows(_article(120))  # ~25,000 characters of news
    bounds = windows.window_bounds(text, tokens=4000)
    assert "".join(text[a:b] for a, b in bounds) == text
    assert len(bounds) >= 8
    assert all(sum(1 for c in text[a:b] if not c.isspace()) <= 4000 for a, b in bounds)
    assert all(text[b - 1] == " " for _, b in bounds[:-1])


def test_a_text_without_any_space_is_cut_at_the_window_size():
    text = "x" * 2500
    assert windows.window_bounds(text, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_the_base_pipeline_never_sees_more_than_a_window(extractor, monkeypatch):
    seen = []
    make_doc = extractor.nlp.make_doc
    monkeypatch.setattr(extractor.nlp, "make_doc", lambda text: seen.append(len(text)) or make_doc(text))
    doc = windows.parse(extractor.nlp, TEXT, SIZE)
    assert len(seen) >= 4 and max(seen) <= SIZE
    assert doc.text == TEXT


def test_the_joined_doc_has_the_parse_of_the_whole_text(whole, windowed):
    assert windowed.text == TEXT
    assert [t.idx for t in windowed] == [t.idx for t in whole]
    for attr in ("tag_", "dep_", "lemma_", "ent_iob_", "ent_type_", "is_sent_start"):
        assert [getattr(t, attr) for t in windowed] == [getattr(t, attr) for t in whole], attr
    assert windowed.tensor.shape == whole.tensor.shape
    # The parser reads each window alone: only a token right at a cut may hang elsewhere (the opening
    # quotation mark of a window's first paragraph attaches to a later word of its sentence).
    cuts = [windowed.char_span(end, end + 1, alignment_mode="expand").start
            for _, end in windows.window_bounds(TEXT, SIZE)[:-1]]
    moved = [t.i for t in whole if t.head.i != windowed[t.i].head.i]
    assert all(min(abs(i - c) for c in cuts) <= 2 for i in moved), (moved, cuts)
    assert len(moved) <= len(cuts)


def test_a_multi_window_article_gives_the_single_window_attributions(whole, windowed):
    got, want = windowed._.attributions, whole._.attributions
    assert len(want) > 40
    assert _plain(got) == _plain(want)
    assert max(abs(a.confidence - b.confidence) for a, b in zip(got, want)) < 0.02


def test_offsets_in_later_windows_point_into_the_article(windowed):
    last_window = windows.window_bounds(TEXT, SIZE)[-1][0]
    late = [a for a in windowed._.attributions if a.cue[0].start > last_window]
    assert late
    for a in late:
        assert a.cue_text == " ".join(TEXT[s.start:s.end] for s in a.cue)
        assert a.content_text == " ".join(TEXT[s.start:s.end] for s in a.content)
    # a speaker named in the first window is still the antecedent of one named again in the last
    assert any(a.speaker and a.speaker.antecedent and a.speaker.antecedent.start < SIZE for a in late)


def test_a_short_text_takes_the_whole_text_path(extractor, monkeypatch):
    text = _article(2)
    monkeypatch.setattr(windows, "parse_base", lambda *a, **k: pytest.fail("a short text was windowed"))
    assert extractor.extract(text) == extractor.nlp(text)._.attributions


def test_pipe_keeps_order_and_windows_only_the_long_texts(extractor, whole):
    short = _article(2)
    items = [(short, "a"), (TEXT, "b"), (short, "c"), (short, "d"), (TEXT, "e")]
    out = list(windows.pipe(extractor.nlp, items, size=SIZE))
    assert [ctx for _, ctx in out] == ["a", "b", "c", "d", "e"]
    assert [doc.text for doc, _ in out] == [t for t, _ in items]
    assert _plain(out[1][0]._.attributions) == _plain(whole._.attributions)
    assert out[0][0]._.attributions == extractor.nlp(short)._.attributions


def test_ingest_analyses_a_long_article_in_windows(extractor, whole, monkeypatch):
    monkeypatch.setattr(windows, "WINDOW_CHARS", SIZE)
    calls = []
    parse_base = windows.parse_base
    monkeypatch.setattr(windows, "parse_base", lambda *a, **k: calls.append(1) or parse_base(*a, **k))
    (article,) = process_texts(extractor, [(TEXT, ArticleMeta("long.txt"))])
    assert calls and article.error is None
    assert article.text == TEXT
    assert _plain(article.attributions) == _plain(whole._.attributions)
    assert article.enrichments["entities"]["entities"]
