"""Attributions nested in another attribution's content.

"Clinton said: “Director Comey said my answers were truthful”" holds two attributions: Clinton's words, and
Comey's, which Clinton reports.  The taggers learned from PolNeAR, whose gold never nests one attribution in
another, so they mark only the outer one.  This pass reads the content of every attribution found and adds
the inner ones that a pattern of ``data/nested_patterns.txt`` describes: a cue verb of a given class, with its
own subject of a given kind, governing a clause.  Every pattern costs precision on PolNeAR (whose gold has no
nested attribution) and gains attributions readers of disputes need, so each one is kept only for what it
measures (bench/RESULTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from ..errors import ModelError
from . import lexicon
from .quotes import Quote
from .rules import QuoteTokens, RawAttribution, _in_quote, _quote_tokens, _source_span, _subtree_span, _trim, cue_phrase

#: The kind hint of an attribution this pass adds (its kind is then indirect or belief, never direct: the
#: inner speaker's words are reported by the outer one even inside a quotation).
NESTED = "nested"
PATTERN_FILE = "nested_patterns.txt"

FIRST_PERSON = frozenset({"i", "we"})
OTHER_PERSONS = frozenset({"you", "he", "she", "they"})
VERB_CLASSES = {"speech": lexicon.SPEECH_VERBS, "belief": lexicon.BELIEF_VERBS - lexicon.SPEECH_VERBS}
SUBJECTS = frozenset({"named", "first-person", "pronoun", "noun"})
FORMS = frozenset({"finite", "any"})
#: What the cue verb governs, by the dependency that holds it (after the verb): a clause, an object, "to" + verb.
CONTENTS = {"clause": ("ccomp",), "object": ("dobj",), "infinitive": ("xcomp",)}
INSIDE = frozenset({"quote", "reported", "any"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})


@dataclass(frozen=True, slots=True)
class NestedPattern:
    name: str
    verbs: str
    subject: frozenset[str]
    form: str
    content: frozenset[str]
    inside: str

    def matches(self, tok: Token, subject: Token, in_quote: bool) -> Token | None:
        """The token heading the content, when the pattern holds for the verb ``tok`` and its subject."""
        if tok.lemma_.lower() not in VERB_CLASSES[self.verbs]:
            return None
        if subject_kind(subject) not in self.subject:
            return None
        if self.form == "finite" and not is_finite(tok):
            return None
        if not (self.inside == "any" or (self.inside == "quote") == in_quote):
            return None
        return governed(tok, self.content)


def _field(name: str, fields: dict[str, str], key: str, allowed: frozenset[str] | dict) -> str:
    value = fields.get(key)
    if value is None or value not in allowed:
        raise ModelError(f"{PATTERN_FILE}: pattern {name!r} needs {key}= one of {', '.join(sorted(allowed))}")
    return value


def _choices(name: str, fields: dict[str, str], key: str, allowed) -> frozenset[str]:
    values = frozenset(fields.get(key, "").split(","))
    if not values or not values <= set(allowed):
        raise ModelError(f"{PATTERN_FILE}: pattern {name!r} needs {key}= some of {', '.join(sorted(allowed))} "
                         "(comma-separated)")
    return values


def parse_patterns(text: str) -> tuple[NestedPattern, ...]:
    """Patterns from the file's text: ``name key=value ...`` a line, ``#`` comments."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, *pairs = line.split()
        fields = dict(p.split("=", 1) for p in pairs if "=" in p)
        if len(fields) != len(pairs):
            raise ModelError(f"{PATTERN_FILE}: pattern {name!r} has a field without '='")
        subjects, contents = _choices(name, fields, "subject", SUBJECTS), _choices(name, fields, "content", CONTENTS)
        out.append(NestedPattern(
            name=name,
            verbs=_field(name, fields, "verbs", VERB_CLASSES),
            subject=subjects,
            form=_field(name, fields, "form", FORMS),
            content=contents,
            inside=_field(name, fields, "inside", INSIDE),
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def patterns() -> tuple[NestedPattern, ...]:
    return parse_patterns(resources.files("onrecord.nlp").joinpath("data", PATTERN_FILE).read_text(encoding="utf-8"))


def subject_kind(subject: Token) -> str | None:
    if subject.pos_ == "PROPN":
        return "named"
    if subject.pos_ == "PRON":
        if subject.lower_ in FIRST_PERSON:
            return "first-person"
        return "pronoun" if subject.lower_ in OTHER_PERSONS else None
    if subject.pos_ == "NOUN":
        return "noun"
    return None


def is_finite(tok: Token) -> bool:
    """said, says, say (with a subject); had said, has said: not saying, to say, (was) said."""
    if tok.tag_ in FINITE_TAGS:
        return True
    return tok.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in tok.children)


def own_subject(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ == "nsubj"), None)


def governed(tok: Token, kinds: frozenset[str]) -> Token | None:
    """The first dependent of ``tok`` after it that is a content of one of ``kinds`` (CONTENTS)."""
    deps = {d for kind in kinds for d in CONTENTS[kind]}
    return next((c for c in tok.rights if c.dep_ in deps), None)


def nested_attributions(doc: Doc, raws: list[RawAttribution], quotes: list[Quote],
                        qtoks: QuoteTokens | None = None) -> list[RawAttribution]:
    """The attributions the patterns find inside the content of ``raws`` (which are left as they are)."""
    rules = patterns()
    if not rules or not raws:
        return []
    qtoks = qtoks if qtoks is not None else _quote_tokens(doc, quotes)
    used = {i for r in raws for i in r.cue}
    outer: dict[int, RawAttribution] = {}  # token → the attribution whose content holds it (the first found)
    for r in raws:
        for a, b in r.content:
            for k in range(a, b):
                outer.setdefault(k, r)
    out = []
    for k in sorted(outer):
        tok = doc[k]
        if k in used or tok.pos_ not in ("VERB", "AUX"):
            continue
        subject = own_subject(tok)
        if subject is None:
            continue
        in_quote = _in_quote(k, qtoks) is not None
        clause = next((c for p in rules if (c := p.matches(tok, subject, in_quote)) is not None), None)
        if clause is None:
            continue
        cue = cue_phrase(tok)
        if used.intersection(cue):
            continue
        i, j = _subtree_span(clause)
        content = _trim(doc, i, j)
        if content[1] <= content[0]:
            continue
        used.update(cue)
        # "I said it" inside a quotation: the speaker is the one quoted
        speaker_of = outer[k] if in_quote and subject_kind(subject) == "first-person" else None
        out.append(RawAttribution(cue=cue, source=[_source_span(subject)], content=[content], kind_hint=NESTED,
                                  confidence=0.5, speaker_of=speaker_of))
    return out
