"""Attributions the taggers pass over: nested in another attribution's content, and a few patterns anywhere.

"Clinton said: “Director Comey said my answers were truthful”" holds two attributions: Clinton's words, and
Comey's, which Clinton reports.  The taggers learned from PolNeAR, whose gold never nests one attribution in
another, so they mark only the outer one.  This pass reads the text after the taggers and adds the attributions
that a pattern of ``data/nested_patterns.txt`` describes: a cue (a verb or a noun of a given class), its own
subject or owner of a given kind, what it governs, and where it lies (inside another attribution's content,
quoted or reported, or anywhere).  What a pattern adds inside a content is nested, and the PolNeAR format
leaves it out (``DocumentResult.outermost``); what it adds elsewhere counts on PolNeAR as any prediction, so
each pattern is kept only for what it measures on both (bench/RESULTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.attrs import POS
from spacy.symbols import AUX, NOUN, VERB
from spacy.tokens import Doc, Token

from ..errors import ModelError
from . import lexicon
from .quotes import Quote
from .rules import (QuoteTokens, RawAttribution, _in_quote, _quote_tokens, _source_span, _subtree_span, _trim, cue_phrase,
                    subject_child)

#: The kind hint of an attribution this pass adds (its kind is then indirect or belief, never direct: the
#: inner speaker's words are reported by the outer one even inside a quotation).
NESTED = "nested"
PATTERN_FILE = "nested_patterns.txt"

FIRST_PERSON = frozenset({"i", "we", "my", "our"})
OTHER_PERSONS = frozenset({"you", "he", "she", "they", "your", "his", "her", "their"})
#: Cue classes: verbs (speech: of saying; belief: of thinking) and nouns (statement: "claim", "call", "offer").
VERB_CLASSES = {"speech": lexicon.SPEECH_VERBS, "belief": lexicon.BELIEF_VERBS - lexicon.SPEECH_VERBS,
                "proposal": lexicon.PROPOSAL_VERBS}
NOUN_CLASSES = {"statement": lexicon.STATEMENT_NOUNS}
SUBJECTS = frozenset({"named", "first-person", "pronoun", "noun", "joined"})
FORMS = frozenset({"finite", "any"})
#: The parts of speech a nested cue can have (verbs, auxiliaries, nouns), as spaCy's POS ids.
CUE_POS = frozenset({VERB, AUX, NOUN})
#: What the cue governs, after it, by the dependency that holds it: for a verb, a clause ("said that ..."), an
#: object ("declined our invitation"), "to" + verb ("offered to appear"); for a noun, a clause ("the claim that
#: ..."), "to" + verb ("his offer to make"); "for" or "to" + what is asked or agreed ("his call for a ban",
#: "advocated for a wall", "agreed to a debate"; nouns: "for" only).
CONTENTS = {"clause": ("ccomp",), "object": ("dobj",), "infinitive": ("xcomp",), "for": ("prep",), "to": ("prep",)}
NOUN_CONTENTS = {"clause": ("acl", "ccomp"), "infinitive": ("acl",), "for": ("prep",)}
#: Where the cue lies: inside a quotation of another attribution's content, inside its reported words, in either
#: (any), or anywhere in the text (also outside every content found).
INSIDE = frozenset({"quote", "reported", "any", "anywhere"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})


@dataclass(frozen=True, slots=True)
class NestedPattern:
    name: str
    cue: str  # a class of VERB_CLASSES (verbs=) or of NOUN_CLASSES (nouns=)
    noun: bool
    subject: frozenset[str]
    form: str
    content: frozenset[str]
    inside: str

    def matches(self, tok: Token, subject: Token, where: str, joined: bool = False) -> tuple[int, int] | None:
        """The content's tokens [i, j), when the pattern holds for the cue ``tok`` and its subject (for a
        noun: its owner), the cue lying ``where`` ("quote", "reported" or "outside" every content); ``joined``:
        the subject is that of a cue the verb is joined to by a conjunction (:func:`joined_subject`)."""
        if self.noun != (tok.pos_ == "NOUN"):
            return None
        if tok.lemma_.lower() not in (NOUN_CLASSES if self.noun else VERB_CLASSES)[self.cue]:
            return None
        if ("joined" if joined else subject_kind(subject)) not in self.subject:
            return None
        if self.form == "finite" and not is_finite(tok):
            return None
        if not (self.inside == "anywhere" or self.inside == where or (self.inside == "any" and where != "outside")):
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
        noun = "nouns" in fields
        if noun == ("verbs" in fields):
            raise ModelError(f"{PATTERN_FILE}: pattern {name!r} needs one of verbs= or nouns=")
        cue = _field(name, fields, "nouns", NOUN_CLASSES) if noun else _field(name, fields, "verbs", VERB_CLASSES)
        subjects = _choices(name, fields, "subject", SUBJECTS)
        contents = _choices(name, fields, "content", NOUN_CONTENTS if noun else CONTENTS)
        out.append(NestedPattern(
            name=name,
            cue=cue,
            noun=noun,
            subject=subjects,
            form=_field(name, fields, "form", {"any"} if noun else FORMS),
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
    """said, says, say (with a subject); had said, has said; is saying, has been saying: not saying alone, to
    say, kept saying, (was) said."""
    if tok.tag_ in FINITE_TAGS:
        return True
    aux = {c.lemma_ for c in tok.children if c.dep_ == "aux"}
    return (tok.tag_ == "VBN" and "have" in aux) or (tok.tag_ == "VBG" and "be" in aux)


def own_subject(tok: Token) -> Token | None:
    """A verb's subject; a noun's owner: its possessor ("Trump's call"), a name before it ("a Fox News
    proposal") or "by" someone ("accusations by Exxon")."""
    if tok.pos_ != "NOUN":
        return subject_child(tok, ("nsubj",))
    for c in tok.lefts:
        if c.dep_ == "poss":
            return c
    names = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if names:
        return names[-1]
    owner = _owner_phrase(tok)
    return next((c for c in owner.children if c.dep_ == "pobj"), None) if owner is not None else None


def joined_subject(tok: Token, cues: set[int]) -> Token | None:
    """The subject a verb without one shares with the cue it is joined to, in the same tense ("The candidate
    rejected the result and demanded a recount"), else None."""
    head = tok.head
    if tok.dep_ != "conj" or head.i not in cues or head.tag_ != tok.tag_ or subject_child(tok, ("nsubj",)):
        return None
    return subject_child(head, ("nsubj",))


def _owner_phrase(tok: Token) -> Token | None:
    """The preposition right after a noun that names its owner: "by" someone ("accusations by Exxon Mobil",
    however the parser attached it), "of" a named one ("the contention of Hillary Clinton"; "claims of a
    youthful temper" name what is claimed)."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is None or nxt.dep_ != "prep":
        return None
    obj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    if nxt.lower_ == "by" or (nxt.lower_ == "of" and nxt.head.i == tok.i and obj.pos_ == "PROPN"):
        return nxt
    return None


def governed(tok: Token, kinds: frozenset[str]) -> tuple[int, int] | None:
    """The tokens [i, j) of the first content of one of ``kinds`` (CONTENTS, NOUN_CONTENTS) that ``tok``
    governs after it: the phrase of the dependent that holds it; for "for" + what is asked, the object of
    "for"; a "that" clause, from "that" on."""
    if tok.pos_ != "NOUN":
        deps = {d for kind in kinds for d in CONTENTS[kind]}
        for c in tok.rights:
            if c.dep_ == "prep":  # "agreed to a debate", "advocated for a wall": what the preposition governs
                obj = next((o for o in c.children if o.dep_ in ("pobj", "pcomp")), None)
                if c.lower_ in kinds and obj is not None:
                    return _subtree_span(obj)
            elif c.dep_ in deps:
                return _subtree_span(c)
        return None
    for c in tok.rights:
        if c.dep_ == "prep":
            if "for" in kinds and c.lower_ == "for":
                obj = next((o for o in c.children if o.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return _subtree_span(obj)
            continue
        if c.dep_ not in ("acl", "ccomp") or c.pos_ not in ("VERB", "AUX"):
            continue
        to = any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        that = any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        if ("infinitive" in kinds and to) or ("clause" in kinds and that):
            return _subtree_span(c)
    return _that_clause(tok) if "clause" in kinds else None


def _that_clause(tok: Token) -> tuple[int, int] | None:
    """The clause a "that" right after the noun (or after its owner: "accusations by Exxon Mobil that ...")
    introduces, wherever the parser hung that clause ("Exxon's accusation that the articles were misleading"),
    from "that" on."""
    owner = _owner_phrase(tok)
    j = owner.right_edge.i + 1 if owner is not None else tok.i + 1
    if j >= len(tok.doc):
        return None
    that = tok.doc[j]
    if that.lower_ != "that" or that.dep_ != "mark" or that.head.i <= j or that.head.pos_ not in ("VERB", "AUX"):
        return None
    return j, that.head.right_edge.i + 1


#: The words a noun's owner keeps: "Republican presidential candidate Donald Trump", not a clause the parser
#: hung on it ("Biden rubbished Trump's claim": "Trump" alone).
OWNER_DEPS = frozenset({"compound", "amod", "det", "flat", "nummod", "poss", "nmod"})


def _owner_span(tok: Token, subject: Token) -> tuple[int, int]:
    """The source's tokens: a verb's subject phrase; a noun's owner with its name words, without "'s"."""
    if tok.pos_ != "NOUN":
        return _source_span(subject)
    i = subject.i
    while i > subject.sent.start and subject.doc[i - 1].dep_ in OWNER_DEPS \
            and subject.doc[i - 1].head.i in range(i, subject.i + 1) and subject.doc[i - 1].pos_ not in ("VERB", "AUX"):
        i -= 1
    return i, subject.i + 1


def nested_attributions(doc: Doc, raws: list[RawAttribution], quotes: list[Quote],
                        qtoks: QuoteTokens | None = None) -> list[RawAttribution]:
    """The attributions the patterns find inside the content of ``raws`` (which are left as they are)."""
    rules = patterns()
    anywhere = any(p.inside == "anywhere" for p in rules)
    if not rules or not (raws or anywhere):  # "anywhere" patterns read texts where nothing else was found too
        return []
    qtoks = qtoks if qtoks is not None else _quote_tokens(doc, quotes)
    used = {i for r in raws for i in r.cue}
    cues = set(used)
    outer: dict[int, RawAttribution] = {}  # token → the attribution whose content holds it (the first found)
    for r in raws:
        for a, b in r.content:
            for k in range(a, b):
                outer.setdefault(k, r)
    out = []
    pos = doc.to_array(POS).tolist()  # read once: a Token per candidate only, not per token of the article
    for k in (range(len(doc)) if anywhere else sorted(outer)):
        if k in used or pos[k] not in CUE_POS:
            continue
        tok = doc[k]
        subject = own_subject(tok)
        joined = subject is None and (subject := joined_subject(tok, cues)) is not None
        if subject is None:
            continue
        in_quote = _in_quote(k, qtoks) is not None
        where = "outside" if k not in outer else "quote" if in_quote else "reported"
        span = next((c for p in rules if (c := p.matches(tok, subject, where, joined)) is not None), None)
        if span is None:
            continue
        cue = [k] if tok.pos_ == "NOUN" else cue_phrase(tok)
        if used.intersection(cue):
            continue
        content = _trim(doc, *span)
        if content[1] <= content[0] or doc[content[0]].tag_ in WH_TAGS:
            continue  # nothing, or "... which he said was truthful": the content is the relative's antecedent
        if content[1] - content[0] == 1 and doc[content[0]].pos_ == "PRON":
            continue  # "he is offering it": a pronoun says nothing of what was proposed
        used.update(cue)
        # "I said it" inside a quotation: the speaker is the one quoted
        speaker_of = outer[k] if in_quote and k in outer and subject_kind(subject) == "first-person" else None
        out.append(RawAttribution(cue=cue, source=[_owner_span(tok, subject)], content=[content],
                                  kind_hint="nominal" if tok.pos_ == "NOUN" else NESTED,
                                  confidence=0.5, speaker_of=speaker_of))
    return out
