"""Tokenizing hostile text in linear time.

spaCy's tokenizer splits prefixes and suffixes off one whitespace-free chunk
again and again, each time over the rest of the chunk: a chunk of n characters
of punctuation (``[[[[…``, ``((((…``) costs n² (20,000 brackets took 35 s, twice
that 4× as long).  Text has no words that long, so :class:`BoundedTokenizer`
cuts any chunk longer than :data:`MAX_RUN` characters into pieces of that size
and tokenizes each piece; everything else goes to spaCy's tokenizer unchanged,
and the Doc's text is always exactly the input (offsets hold).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

#: The longest run of non-space characters tokenized in one piece (a URL is rarely longer).
MAX_RUN = 1000
_LONG = re.compile(r"\S{%d,}" % (MAX_RUN + 1))


class BoundedTokenizer:
    """spaCy's tokenizer, with whitespace-free runs longer than MAX_RUN tokenized a piece at a time."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __getattr__(self, name: str) -> Any:  # vocab, to_bytes, explain… are the wrapped tokenizer's
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        if _LONG.search(text) is None:
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for match in _LONG.finditer(text):
            self._add(text[pos:match.start()], words, spaces)
            for i in range(match.start(), match.end(), MAX_RUN):
                self._add(text[i:min(i + MAX_RUN, match.end())], words, spaces)
            pos = match.end()
        self._add(text[pos:], words, spaces)
        doc = Doc(self.tokenizer.vocab, words=words, spaces=spaces)
        return doc if doc.text == text else self.tokenizer(text)

    def _add(self, piece: str, words: list[str], spaces: list[bool]) -> None:
        if not piece:
            return
        for token in self.tokenizer(piece):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
