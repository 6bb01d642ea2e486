"""Attributions in a headline: "Mayor rebuffs minister on port plan;  Spurns offer, blasts 'bad deal'".

Headlines are written in a style the parser reads poorly (title case, no articles, present tense, several
clauses joined by ";"), and the taggers hardly saw them.  This pass reads the first paragraph of a document
by words instead: a cue verb in its headline form ("rebuffs", "TAKE ON", "Rip"), the words before it as the
source and the words after it as the content.  A clause without its own subject ("Spurns offer") has the
source of the clause before it.  It only adds attributions where no cue was found in the clause.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from ..names import lexicons
from . import lexicon
from .rules import RawAttribution, _trim

MAX_HEADLINE_TOKENS = 40
_NOT_SPACE = re.compile(r"\S")
SPEAKER_ENTITY_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
CLAUSE_BREAKS = frozenset({";", "|", ":"})
NOT_SUBJECT_ENDS = frozenset({"the", "a", "an", "to", "of", "for", "on", "in", "at", "by", "with", "and", "or",
                              "'s", "’s", "his", "her", "its", "their", "our", "my", "your"})


@lru_cache(maxsize=1)
def headline_verbs() -> dict[tuple[str, ...], str]:
    """Every written form of a headline cue, as lower-case words → its lemma ('rebuffs' → 'rebuff')."""
    text = resources.files("onrecord.nlp").joinpath("data", "headline_verbs.txt").read_text(encoding="utf-8")
    lemmas = {line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    lemmas |= lexicon.SPEECH_VERBS
    forms: dict[tuple[str, ...], str] = {}
    for lemma in lemmas:
        verb, *particle = lemma.split()
        forms[(lexicon.s_form(verb), *particle)] = lemma
        forms.setdefault((verb, *particle), lemma)
    return forms


def headline_span(doc: Doc, text: str) -> tuple[int, int] | None:
    """The tokens of the first paragraph (with its second line when the first ends in ";"), when it is short
    enough to be a headline and more text follows it."""
    if not len(doc):
        return None
    newline = text.find("\n")
    if newline < 0 or _NOT_SPACE.search(text, newline) is None:
        return None  # one paragraph: an article without its headline, or a sentence
    end_char = newline
    second = text.find("\n", newline + 1)
    if text[:newline].rstrip().endswith(";") and second > newline + 1 and text[newline + 1:second].strip():
        end_char = second  # a headline in two decks, the first ending in ";": "Mayor rebuffs minister;\nSpurns offer"
    end = next((t.i for t in doc[: MAX_HEADLINE_TOKENS + 1] if t.idx >= end_char), len(doc))
    if end == 0 or end > MAX_HEADLINE_TOKENS:
        return None
    return 0, end


def _verb_at(doc: Doc, i: int, end: int) -> tuple[int, str] | None:
    """(number of tokens, lemma) of a headline cue starting at token ``i``, else None."""
    forms = headline_verbs()
    for size in (2, 1):
        if i + size > end:
            continue
        words = tuple(doc[k].lower_ for k in range(i, i + size))
        lemma = forms.get(words)
        if lemma is not None and len(lemma.split()) == size:
            return size, lemma
    return None


def _subject_ends_here(tok: Token) -> bool:
    """Whether ``tok`` can end a headline subject ('Lawmakers', 'AMIGOS'', 'mayor')."""
    return tok.lower_ not in NOT_SUBJECT_ENDS and (tok.is_alpha or tok.text in ("'", "’", ")"))


def headline_attributions(doc: Doc, text: str, taken: set[int]) -> list[RawAttribution]:
    """Attributions of the headline whose cue tokens are not in ``taken`` (token indices of found cues)."""
    span = headline_span(doc, text)
    if span is None:
        return []
    clauses = _clauses(doc, *span)
    out: list[RawAttribution] = []
    source: tuple[int, int] | None = None
    for lo, hi in clauses:
        cues: list[tuple[int, int]] = []  # (first token, size)
        for k in range(lo, hi):
            found = _verb_at(doc, k, hi)
            if found is None or any(j in taken for j in range(k, k + found[0])):
                continue
            size, lemma = found
            bare = doc[k].lower_ == lemma.split()[0]
            prev = doc[k - 1] if k > lo else None
            second = prev is not None and prev.text == "," and bool(cues)
            if prev is None:
                ok = source is not None and not bare  # "Spurns offer": the subject of the clause before
            elif second:
                ok = not bare  # "Spurns offer, blasts ...": a second verb of the same subject
            else:
                # a bare form needs a plural subject ("Lawmakers Rip"), a third-person one a subject of any kind
                word = doc[k - 2] if prev.text in ("'", "’") and k - 2 >= lo else prev
                ok = ((prev.text == "," and not bare) or _subject_ends_here(prev)) and (
                    not bare or word.lower_.endswith("s"))
            if ok and prev is not None and not second:
                i, j = _subject(doc, lo, k)
                # the subject holds a cue that was found ("Trump says praise ..."): this word is in its content
                ok = _names_a_speaker(doc, i, j) and not any(t in taken for t in range(i, j))
            if ok and (not cues or k >= cues[-1][0] + cues[-1][1] + 1):
                cues.append((k, size))
        for n, (k, size) in enumerate(cues):
            content_end = cues[n + 1][0] if n + 1 < len(cues) else hi
            content_end = next((j for j in range(k + size, content_end) if j in taken), content_end)
            content = _trim(doc, k + size, content_end)
            if content[1] <= content[0]:
                continue
            if k > lo and (n == 0 or doc[k - 1].text != ","):
                source = _subject(doc, lo, k)
            if source is None or source[1] <= source[0]:
                continue
            out.append(RawAttribution(cue=list(range(k, k + size)), source=[source], content=[content],
                                      confidence=0.5))
    return out


def _clauses(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """The headline's clauses, as token spans [lo, hi): the stretches between ";", "|" and ":"."""
    clauses: list[tuple[int, int]] = []
    lo = start
    for k in range(start, end + 1):
        if k == end or doc[k].text in CLAUSE_BREAKS:
            while lo < k and doc[lo].is_space:
                lo += 1
            if k > lo:
                clauses.append((lo, k))
            lo = k + 1
    return clauses


def headline_contents(doc: Doc, text: str, raws: list[RawAttribution]) -> None:
    """'Investigators blame faulty sensor for crash; maker disputes findings': a headline cue the taggers gave a
    content wholly in a clause of the headline before its own ("Investigators blame ...") says the words after it
    in its own clause ("findings"), when there are any. A content after the cue's clause stays ("echoed a theme:
    trade is good ...")."""
    span = headline_span(doc, text)
    if span is None:
        return
    clauses = _clauses(doc, *span)
    for raw in raws:
        clause = next(((lo, hi) for lo, hi in clauses if raw.cue and lo <= raw.cue[0] < hi), None)
        if clause is None or not raw.content or any(j > clause[0] for _, j in raw.content):
            continue
        after = _trim(doc, raw.cue[-1] + 1, clause[1])
        if after[1] > after[0]:
            raw.content = [after]


def _names_a_speaker(doc: Doc, i: int, j: int) -> bool:
    """Whether the words before a headline verb end in a name or a person's role ('Black Lawmakers', 'London's
    mayor', 'Biden, stumping for Clinton,'), not in a thing ('Trump's Islamophobia')."""
    words = [t for t in doc[i:j] if t.is_alpha]
    if not words:
        return False
    last = words[-1]
    if _role_word(last.lower_):
        return True
    owned = last.i > 0 and doc[last.i - 1].lower_ in ("'s", "’s")  # "Trump's Islamophobia" is a thing of his
    return not owned and (last.ent_type_ in SPEAKER_ENTITY_TYPES or last.tag_ in ("NNP", "NNPS"))


def _role_word(word: str) -> bool:
    return word in lexicons.PERSON_ROLE_NOUNS or (word.endswith("s") and word[:-1] in lexicons.PERSON_ROLE_NOUNS)


def _subject(doc: Doc, lo: int, k: int) -> tuple[int, int]:
    """The subject of a headline verb at ``k``: 'Biden, stumping for Clinton, trashes' → 'Biden' (a phrase
    set off by commas before the verb is left out); 'Standing with activists, Mark-Viverito pillories' →
    'Mark-Viverito' (so is one before the subject); 'Hacker who revealed an address admits' → 'Hacker'."""
    rel = next((t.i for t in doc[lo:k] if t.lower_ in lexicons.RELATIVE_PRONOUNS and t.i > lo), None)
    if rel is not None:  # "Hacker who revealed ... admits": the relative clause is not the subject
        return _trim(doc, lo, rel)
    commas = [i for i in range(lo, k) if doc[i].text == ","]
    if commas and commas[-1] == k - 1:
        if len(commas) > 1 and commas[0] > lo:
            return _trim(doc, lo, commas[0])
        return _trim(doc, lo, k - 1)
    if commas:
        return _trim(doc, commas[-1] + 1, k)
    return _trim(doc, lo, k)


def opens_subjectless_line(tok: Token) -> bool:
    """Whether ``tok`` is a cue verb in headline form opening its line ("Spurns offer, blasts ..."): a clause
    without a subject of its own, whose subject is that of the line before."""
    if tok.i == 0 or "\n" not in tok.doc[tok.i - 1].text_with_ws and not tok.doc[tok.i - 1].is_space:
        return False
    lemma = headline_verbs().get((tok.lower_,))
    return lemma is not None and tok.lower_ != lemma.split()[0]
