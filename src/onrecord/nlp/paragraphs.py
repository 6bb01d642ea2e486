"""A line that ends without a full stop, followed by a blank line, ends its sentence.

News text puts a headline, a byline and a dateline on lines of their own, with no full stop, each followed by
an empty line. spaCy's small parser does not always see that the line ended: it ran "Judge rejects bid to
dismiss charges ⏎⏎ By Nadia Pereira ⏎⏎ LISBON, May 9 - A Lisbon court on Thursday refused ..." together as one
sentence, and the byline became a party to the court's ruling. This component, set before the parser, marks
the first word after such a break as a sentence start (the parser keeps marks set before it).

A blank line after a line that ends with a full stop, a question or exclamation mark, a closing quote or
bracket, a colon or a semicolon is left to the parser: marking those too moved PolNeAR dev within noise
(bench/RESULTS.md, "Tried, not kept: a blank line ends a sentence") and the taggers were trained on parses
without the marks. On PolNeAR dev only 2 of 1,755 blank-line breaks follow an open line. One closed line is marked too: one
that ends in a lone capital and a full stop ("... wrote on X."), which the tokenizer keeps together as an
initial, so the parser ran the paragraph into the next.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

NAME = "onrecord_paragraphs"
# what a line that ends its sentence ends with
_CLOSED = tuple('.!?"”’\')]:;')


def open_line_breaks(doc: Doc) -> list[int]:
    """Indexes of the first word after each empty line whose line before ends without closing punctuation
    (spaCy keeps one trailing space on a word; other whitespace is a token of its own)."""
    starts = []
    blank = False
    last = None
    for tok in doc:
        if tok.is_space:
            blank = blank or tok.text.count("\n") >= 2
            continue
        if blank and last is not None and (not last.text.endswith(_CLOSED) or _letter_and_stop(last.text)):
            starts.append(tok.i)
        blank = False
        last = tok
    return starts


def _letter_and_stop(text: str) -> bool:
    """'... wrote on X.' at the end of a paragraph: the tokenizer keeps the full stop on a lone capital as on an
    initial ("J."), and the parser then runs the paragraph into the next one."""
    return len(text) == 2 and text[0].isupper() and text[1] == "."


@Language.component(NAME)
def mark_open_lines(doc: Doc) -> Doc:
    for i in open_line_breaks(doc):
        doc[i].is_sent_start = True
    return doc
