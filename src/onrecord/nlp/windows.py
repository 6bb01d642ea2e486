"""Parsing long articles in bounded windows: memory flat in the article's length.

spaCy's parser and entity recogniser precompute a few kilobytes of features
per token for the whole Doc at once: a 200 KB article (40,000 tokens) peaked at
860 MB while being parsed (a 1 MB article went past 3 GB in all).  Here an article longer
than :data:`WINDOW_CHARS` characters, or with more than :data:`WINDOW_TOKENS`
words and marks (a text of brackets has a token per character), is cut into
consecutive windows of at most that many (after a paragraph break where there is one, else after a
sentence's end, else after a space), the base pipeline (tokenizer, tok2vec,
tagger, parser, lemmatizer, NER: every pipe before ``onrecord_attributions``)
runs over each window in turn, and the parsed windows are joined back into
one Doc (``Doc.from_docs``: the same text, tokens, parse, entities and
tok2vec vectors, offsets unchanged).  onrecord's own component and the
enrichers then read that one Doc, so speakers, entities and claims still see
the whole article.

Articles within one window take exactly the path they always took
(``nlp(text)``, ``nlp.pipe``); their output does not change.  A longer article
gets the same text, tokens and offsets; its parse and entities are those of
the whole text except right at a cut, where tok2vec's context of a window's
first and last few tokens ends: there a token may attach elsewhere (an opening
quotation mark) and a confidence may move in its third decimal.  Cuts fall
after a newline wherever one is within reach, where sentences and paragraphs
end anyway (``tests/test_hostile_windows.py`` checks all of this).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

#: The longest text the base pipeline parses in one piece (characters); longer texts go in windows.
WINDOW_CHARS = 50_000
#: The most words and punctuation marks in one piece: what the parser's memory follows.  News has about one
#: in five characters (50,000 characters hold about 10,000); a text of brackets has one per character.
WINDOW_TOKENS = 12_000
#: Roughly what the tokenizer makes a token of (an estimate: never fewer pieces than spaCy's tokens, seldom more).
_TOKENISH = re.compile(r"\w+|[^\w\s]")
COMPONENT = "onrecord_attributions"
#: How far back from a window's end a cut may move to fall on a boundary (a fraction of the window).
_REACH = 0.5


def window_bounds(text: str, size: int | None = None, tokens: int | None = None) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` character ranges covering ``text``, none longer than ``size``
    characters nor holding more than ``tokens`` words and marks (:data:`_TOKENISH`).

    Each cut falls right after the last newline within reach, else after the last sentence end
    (``. ``, ``? ``, ``! ``), else after the last whitespace, else at the window's end (a text with no
    space for that long has no words to keep whole)."""
    size, tokens = size or WINDOW_CHARS, tokens or WINDOW_TOKENS
    bounds = []
    start, n = 0, len(text)
    while start < n:
        reach = size
        while True:
            end = n if n - start <= reach else _cut(text, start + max(1, int(reach * (1 - _REACH))), start + reach)
            found = _tokens_in(text, start, end) if end - start > tokens else 0
            if found <= tokens:
                break
            reach = max(1, (end - start) * tokens // found)  # a token-dense stretch: a shorter window
        bounds.append((start, end))
        start = end
    return bounds or [(0, n)]


def _tokens_in(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _TOKENISH.finditer(text, start, end))


def needs_windows(text: str, size: int | None = None, tokens: int | None = None) -> bool:
    """Is ``text`` longer than one window (in characters, or in words and marks)?"""
    size, tokens = size or WINDOW_CHARS, tokens or WINDOW_TOKENS
    return len(text) > size or (len(text) > tokens and _tokens_in(text, 0, len(text)) > tokens)


def _cut(text: str, lo: int, hi: int) -> int:
    newline = text.rfind("\n", lo, hi)
    if newline >= 0:
        return newline + 1
    sentence = max(text.rfind(end, lo, hi - 1) for end in (". ", "? ", "! "))
    if sentence >= 0:
        return sentence + 2
    space = max(text.rfind(ws, lo, hi) for ws in (" ", "\t", "\r", "\u00a0"))
    return space + 1 if space >= 0 else hi


def base_pipes(nlp: Language) -> list[tuple[str, Callable[[Doc], Doc]]]:
    """The pipes that run window by window: every pipe before onrecord's component (all of them without it)."""
    names = nlp.pipe_names
    stop = names.index(COMPONENT) if COMPONENT in names else len(names)
    return nlp.pipeline[:stop]


def later_pipes(nlp: Language) -> list[tuple[str, Callable[[Doc], Doc]]]:
    """The pipes that read the whole joined Doc: onrecord's component and anything after it."""
    return nlp.pipeline[len(base_pipes(nlp)):]


def parse_base(nlp: Language, text: str, size: int | None = None, tokens: int | None = None) -> Doc:
    """``text`` tokenized and run through the base pipes, window by window, joined into one Doc."""
    pipes = base_pipes(nlp)
    parts = []
    for start, end in window_bounds(text, size, tokens):
        doc = nlp.make_doc(text[start:end])
        for name, proc in pipes:
            doc = _run(nlp, name, proc, doc)
        parts.append(doc)
    if len(parts) == 1:
        return parts[0]
    return Doc.from_docs(parts, ensure_whitespace=False)


def parse(nlp: Language, text: str, size: int | None = None, tokens: int | None = None) -> Doc:
    """``nlp(text)``, with a text longer than one window parsed in windows first (see the module's doc)."""
    if not needs_windows(text, size, tokens):
        return nlp(text)
    if len(text) > nlp.max_length:  # the pipeline's own limit holds for the whole text, as in nlp(text)
        raise ValueError(Errors.E088.format(length=len(text), max_length=nlp.max_length))
    doc = parse_base(nlp, text, size, tokens)
    for name, proc in later_pipes(nlp):
        doc = _run(nlp, name, proc, doc)
    return doc


def pipe(nlp: Language, items: Iterable[tuple[str, Any]], *, n_process: int = 1, batch_size: int = 16,
         size: int | None = None, tokens: int | None = None) -> Iterator[tuple[Doc, Any]]:
    """``nlp.pipe(items, as_tuples=True)`` in order, with each text longer than ``size`` parsed in windows.

    Runs of ordinary texts still go through ``nlp.pipe`` together (in worker processes with ``n_process``);
    a long text is parsed here, alone, between them."""
    it = iter(items)
    held: list[tuple[str, Any]] = []

    def ordinary() -> Iterator[tuple[str, Any]]:
        for text, context in it:
            if needs_windows(text, size, tokens):
                held.append((text, context))
                return
            yield text, context

    while True:
        run = ordinary()
        first = next(run, None)
        if first is not None:
            yield from nlp.pipe(_chain(first, run), as_tuples=True, n_process=n_process, batch_size=batch_size)
        if not held:
            return
        text, context = held.pop()
        yield parse(nlp, text, size, tokens), context


def _chain(first: tuple[str, Any], rest: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    yield first
    yield from rest


def _run(nlp: Language, name: str, proc: Callable[[Doc], Doc], doc: Doc) -> Doc:
    """One pipe over one Doc, with the pipe's error handler as ``Language.__call__`` uses it."""
    try:
        return proc(doc)
    except Exception as err:
        handler = proc.get_error_handler() if hasattr(proc, "get_error_handler") else nlp.default_error_handler
        handler(name, proc, [doc], err)
        return doc
