"""Syntactic rules: cue candidates and the source/content each cue governs.

The rules read spaCy's dependency parse.  They serve twice: as a complete
rule-only extractor (``strategy="rules"``), and as features of the learned
role tagger, which sees where the rules would put the source and content of
each cue.  Everything here works on token indices of one ``Doc``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Span as SpacySpan, Token

from ..names import lexicons
from . import lexicon
from .datelines import after_dateline
from .quotes import MARKS as QUOTE_MARKS, Quote
from .ranges import Ranges

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")
CONTENT_DEPS = ("ccomp", "xcomp", "parataxis")
TRAILING_PUNCT = set(".,;:!?—–-")


@dataclass(slots=True)
class RawAttribution:
    """Token-level attribution before it becomes a record (mutable while rules build it)."""

    cue: list[int]  # token indices, sorted
    source: list[tuple[int, int]] = field(default_factory=list)  # token spans [i, j)
    content: list[tuple[int, int]] = field(default_factory=list)  # token spans [i, j)
    kind_hint: str | None = None  # "according_to", "nominal", "belief" when the rule knows
    confidence: float = 0.5
    # The attribution whose speaker this one has ("I said it" inside a quotation: the one quoted), if not its own.
    speaker_of: RawAttribution | None = None


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Drop spaces and edge punctuation (but keep quote marks) from a token span."""
    while i < j and (doc[i].is_space or doc[i].text in TRAILING_PUNCT):
        i += 1
    while j > i and (doc[j - 1].is_space or doc[j - 1].text in TRAILING_PUNCT):
        j -= 1
    return i, j


def _subtree_span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def is_verb_cue(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and lexicon.is_cue_lemma(tok.lemma_)


def cue_phrase(tok: Token) -> list[int]:
    """The cue verb with its auxiliaries, negation, adverbs right before it and particles."""
    doc = tok.doc
    passive = _quoted_as(tok)
    if passive is not None:  # "was quoted as saying" is one cue
        return cue_phrase(passive) + list(range(passive.i + 1, tok.i + 1))
    idx = [tok.i]
    k = tok.i - 1
    while k >= tok.sent.start and doc[k].head.i == tok.i and doc[k].dep_ in ("aux", "auxpass", "neg", "advmod"):
        if doc[k].dep_ == "advmod" and not doc[k].text.isalpha():
            break
        idx.insert(0, k)
        k -= 1
    for child in tok.rights:
        if child.dep_ == "prt" and child.i == idx[-1] + 1:
            idx.append(child.i)
    return idx


def _quoted_as(tok: Token) -> Token | None:
    """For "saying" in "X was quoted as saying", the verb "quoted"."""
    if tok.dep_ == "pcomp" and tok.head.lower_ == "as" and tok.head.head.lemma_ in ("quote", "report", "cite"):
        return tok.head.head
    return None


def placeholder_it(it: Token) -> bool:
    """Is this "it" a placeholder subject whose real subject is a clause, naming no one ("It was unclear how
    ...", "it was suggestions that ...", "It was said that ...")? Not "it said", nor "It has been careful to
    frame its plans" (an adjective that describes someone), nor "it has been about the rise of ..."."""
    if it.dep_ == "expl":
        return True
    head = it.head
    if it.dep_ == "nsubjpass":
        return any(c.dep_ == "ccomp" for c in head.children)  # "It was said that ..."
    if it.dep_ != "nsubj" or head.lemma_ != "be":
        return False
    if any(c.dep_ == "acomp" and c.lower_ in lexicons.EXTRAPOSING_ADJECTIVES for c in head.children):
        return True
    # "it was suggestions that ...", "It may not be a question of whether ...": a noun that takes the clause
    return any(c.dep_ == "attr" and c.pos_ == "NOUN" and any(g.dep_ in ("acl", "prep", "ccomp") for g in c.children)
               for c in head.children)


def stands_for_a_clause(it: Token) -> bool:
    """"it was great to be home", "it was wise to delay the vote": an "it" whose copula takes a clause is that
    clause's placeholder (or, "it was willing to talk", whoever is willing), never a thing named before it."""
    return placeholder_it(it) or (it.dep_ == "nsubj" and it.head.lemma_ == "be" and any(
        c.dep_ in ("xcomp", "ccomp", "csubj") for c in it.head.children))


def subject_child(verb: Token, deps: tuple[str, ...] = ("nsubj", "csubj")) -> Token | None:
    """The verb's subject among its children. A parse that gives a verb two subjects has mostly taken a
    dateline or a headline word for one ("WARSAW, June 14 - Poland's rail unions on Tuesday rejected ...",
    "The Latest: Trump urges ..."): the one nearest before the verb is its subject (in PolNeAR dev, 68
    verbs have two)."""
    subjects = [c for c in verb.children if c.dep_ in deps]
    before = [c for c in subjects if c.i < verb.i]
    if len(before) > 1 and _listed(before[-2], before[-1]):
        return before[-2]
    subject = before[-1] if before else (subjects[0] if subjects else None)
    return past_dateline(subject) if subject is not None else None


def past_dateline(subject: Token) -> Token:
    """'LISBON, May 9 - Portugal's biggest union on Monday rejected ...': a subject the parser made of the
    dateline's place, with the real one hung on it, is the phrase after the dateline's dash."""
    doc = subject.doc
    end = subject.right_edge.i + 1
    start = after_dateline(doc, subject.left_edge.i, end)
    if start <= subject.i:
        return subject
    top = next((doc[k] for k in range(start, end) if not start <= doc[k].head.i < end), subject)
    # "NAIROBI (AP) - African leaders meeting in Nairobi called": the parser made "meeting" the phrase's head
    return next((c for c in top.children if c.dep_ == "nsubj"), top) if top.pos_ == "VERB" else top


def _listed(first: Token, second: Token) -> bool:
    """'The family, protesters and civic leaders have been demanding': a list whose first item the parser
    made a second subject, a comma apart from the rest."""
    gap = first.doc[first.right_edge.i + 1 : second.left_edge.i]
    return [t.text for t in gap] == [","] and any(c.dep_ == "conj" for c in second.children)


def subject_of(tok: Token, depth: int = 0) -> Token | None:
    """The grammatical subject, inherited through conjunctions and participles when elided."""
    passive = _quoted_as(tok)
    if passive is not None:
        return subject_of(passive, depth + 1)
    if tok.tag_ == "VBG" and tok.dep_ in ("advcl", "acl", "xcomp") and depth == 0:
        found = _participle_subject(tok)
        if found is not None:
            return found
    subject = subject_child(tok)
    if subject is not None:
        return subject
    if tok.lemma_ in ("quote", "report", "cite"):
        # "X was quoted as saying": the passive subject is the speaker only for quote/report.
        subject = subject_child(tok, ("nsubjpass",))
        if subject is not None:
            return subject
    for child in tok.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    if depth < 3 and tok.dep_ in ("conj", "xcomp", "advcl", "ccomp") and tok.head.i != tok.i:
        if tok.dep_ == "ccomp":
            return None
        return subject_of(tok.head, depth + 1)
    return None


def _participle_subject(tok: Token) -> Token | None:
    """'X stated that A was unacceptable, warning that B': the one warning is X, not A.

    A participle attached inside a reported clause belongs to the reporting verb; one attached to
    a noun ('released a video, claiming ...') belongs to the clause's subject."""
    first_verb_subject = None
    anc = tok.head
    for _ in range(12):
        if anc.pos_ in ("VERB", "AUX") and anc.i != tok.i:
            subj = subject_child(anc, ("nsubj", "nsubjpass"))
            if subj is not None:
                if is_verb_cue(anc) and anc.lemma_ in lexicon.SPEECH_VERBS:
                    return subj
                if first_verb_subject is None:
                    first_verb_subject = subj
        if anc.head.i == anc.i:
            break
        anc = anc.head
    if tok.dep_ == "acl":
        return first_verb_subject
    return None


def _source_span(subj: Token) -> tuple[int, int]:
    i, j = _subtree_span(subj)
    return _trim(subj.doc, i, j)


def _content_child(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ in ("ccomp", "parataxis") and child.i > tok.i:
            return child
    for child in tok.children:
        if child.dep_ == "ccomp":
            return child
    for child in tok.children:
        if child.dep_ == "xcomp" and lexicon.is_cue_lemma(tok.lemma_):
            return child
    for child in tok.children:
        if child.dep_ == "dobj" and tok.lemma_ in lexicon.SPEECH_VERBS:
            return child
    return None


class QuoteTokens(Ranges[tuple[int, int, int]]):
    """The article's quotes as (first token, end token, group), in order, found by position or group."""

    def __init__(self, items: list[tuple[int, int, int]]) -> None:
        super().__init__(items)
        self.groups: dict[int, list[tuple[int, int, int]]] = {}
        for q in items:
            self.groups.setdefault(q[2], []).append(q)


def _quote_tokens(doc: Doc, quotes: list[Quote]) -> QuoteTokens:
    """Quotes as (first token, end token, group)."""
    out = []
    for q in quotes:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is not None and len(span):
            out.append((span.start, span.end, q.group))
    return QuoteTokens(out)


def _in_quote(i: int, qtoks: QuoteTokens) -> tuple[int, int, int] | None:
    return qtoks.first_at(i)


def verb_attribution(tok: Token, qtoks: QuoteTokens) -> RawAttribution | None:
    """Source and content for a verb cue, or None when the verb governs no content."""
    if _in_quote(tok.i, qtoks):
        return None
    doc = tok.doc
    sent: SpacySpan = tok.sent
    cue = cue_phrase(tok)
    att = RawAttribution(cue=cue)
    if tok.lemma_ in lexicon.BELIEF_VERBS and tok.lemma_ not in lexicon.SPEECH_VERBS:
        att.kind_hint = "belief"
    child = _content_child(tok)
    # Quotes in the same sentence that the verb does not sit inside are its content.
    sent_quotes = [q for q in qtoks.overlapping(sent.start, sent.end) if not (q[0] <= tok.i < q[1])]
    if child is not None:
        i, j = _subtree_span(child)
        # A quote governed by the verb is taken whole, marks included.
        for q in sent_quotes:
            if q[0] <= i < q[1] or q[0] < j <= q[1]:
                i, j = min(i, q[0]), max(j, q[1])
        att.content.append(_trim(doc, i, j) if not _in_quote(j - 1, qtoks) else (i, j))
        att.confidence = 0.7
    elif sent_quotes:
        for q in sent_quotes:
            att.content.append((q[0], q[1]))
        att.confidence = 0.6
    else:
        # "He added:" — the content follows the colon, possibly in the next sentence.
        nxt = doc[cue[-1] + 1] if cue[-1] + 1 < len(doc) else None
        if nxt is not None and nxt.text == ":":
            start = nxt.i + 1
            q = _in_quote(start, qtoks) if start < len(doc) else None
            end = q[1] if q else sent.end
            if end <= start and start < len(doc):
                end = doc[start].sent.end
            if end > start:
                att.content.append(_trim(doc, start, end) if not q else (start, end))
                att.confidence = 0.6
    if not att.content:
        return None
    subj = subject_of(tok)
    if subj is not None and not _in_quote(subj.i, qtoks):
        att.source.append(_source_span(subj))
    return att


def according_to(tok: Token) -> RawAttribution | None:
    """``according to X``, ``as reported by X``: cue, source X, content the clause around it."""
    doc = tok.doc
    words = [t.lower_ for t in doc[tok.i : tok.i + 4]]
    for pattern in lexicon.SOURCE_INTRODUCERS:
        if tuple(words[: len(pattern)]) == pattern:
            break
    else:
        return None
    n = len(pattern)
    last = doc[tok.i + n - 1]
    objs = [c for c in last.children if c.dep_ == "pobj"]
    if objs:
        src_i, src_j = _subtree_span(objs[0])
    else:
        src_i = tok.i + n
        src_j = src_i
        while src_j < tok.sent.end and doc[src_j].text not in ",.;:" and not doc[src_j].is_space:
            src_j += 1
    if src_j <= src_i:
        return None
    sent = tok.sent
    cue = list(range(tok.i, tok.i + n))
    content = []
    before = _trim(doc, sent.start, tok.i)
    after = _trim(doc, src_j, sent.end)
    if before[1] > before[0]:
        content.append(before)
    if after[1] > after[0]:
        content.append(after)
    if not content:
        return None
    return RawAttribution(cue=cue, source=[_trim(doc, src_i, src_j)], content=content,
                          kind_hint="according_to", confidence=0.7)


def nominal(tok: Token) -> RawAttribution | None:
    """``Moscow's assertion of having taken control``, ``the claim that ...``."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in lexicon.NOMINAL_CUES:
        return None
    poss = [c for c in tok.children if c.dep_ == "poss"]
    content_tok = None
    for c in tok.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and any(g.lower_ == "that" and g.dep_ == "mark" for g in c.children):
            content_tok = c
        elif c.dep_ == "prep" and c.lower_ in ("of", "to", "about"):
            pc = [g for g in c.children if g.dep_ in ("pcomp", "pobj")]
            gerund = pc and (pc[0].tag_ == "VBG" or any(g.lower_ == "having" for g in pc[0].children))
            if gerund or (pc and c.lower_ == "to"):
                content_tok = c
    if content_tok is None or not poss:
        return None
    doc = tok.doc
    i, j = _subtree_span(content_tok)
    return RawAttribution(cue=[tok.i], source=[_source_span(poss[0])], content=[_trim(doc, i, j)],
                          kind_hint="nominal", confidence=0.6)


def belief_adjective(tok: Token) -> RawAttribution | None:
    """``Putin is confident that ...``: cue 'is confident', source the copula's subject."""
    if tok.pos_ != "ADJ" or tok.lower_ not in lexicon.BELIEF_ADJECTIVES:
        return None
    clause = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
    if not clause or tok.dep_ not in ("acomp", "ROOT"):
        return None
    head = tok.head if tok.dep_ == "acomp" else tok
    subj = subject_of(head)
    if subj is None:
        return None
    doc = tok.doc
    cue = sorted({i for i in cue_phrase(head) if i < tok.i} | {head.i, tok.i})
    cue = list(range(cue[0], tok.i + 1)) if cue[-1] - cue[0] < 4 else [tok.i]
    i, j = _subtree_span(clause[0])
    return RawAttribution(cue=cue, source=[_source_span(subj)], content=[_trim(doc, i, j)],
                          kind_hint="belief", confidence=0.6)


def headline_colon(doc: Doc, sent: SpacySpan, qtoks) -> RawAttribution | None:
    """``Trump: “We will win”`` — a name, a colon, then the words."""
    for tok in sent:
        if tok.text == ":" and tok.i > sent.start:
            left = doc[sent.start : tok.i]
            if len(left) <= 4 and any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in left):
                end = _trim(doc, tok.i + 1, sent.end)
                if end[1] > end[0]:
                    return RawAttribution(cue=[tok.i], source=[_trim(doc, sent.start, tok.i)],
                                          content=[end], confidence=0.5)
            return None
    return None


def _line_break(tok: Token) -> bool:
    return tok.is_space and "\n" in tok.text


def _inline_space(tok: Token) -> bool:
    """A whitespace token within a line: spaCy makes one of a non-breaking space (``&nbsp;`` in web text) or of
    a second space, where a plain space is only a token's trailing whitespace."""
    return tok.is_space and not _line_break(tok)


def _past_inline_space(doc: Doc, i: int) -> int:
    while i < len(doc) and _inline_space(doc[i]):
        i += 1
    return i


def signed_quote(doc: Doc, q: tuple[int, int, int], qtoks) -> RawAttribution | None:
    """``“…” ― Maria Lopez`` at the end of a line: a quotation signed with a dash and a name (reader
    comments, epigraphs, lists of reactions). The dash is the cue."""
    j = q[1]
    # The tokenizer can glue the dash to the closing mark ("”―"), and then that token ends the quote: the
    # cue is that token (its mark is trimmed off the cue's characters when the record is made).
    if doc[j - 1].text[:1] in QUOTE_MARKS and doc[j - 1].text[1:] in lexicon.SIGNATURE_DASHES:
        j -= 1
    else:
        j = _past_inline_space(doc, j)
        if j >= len(doc) or doc[j].text not in lexicon.SIGNATURE_DASHES:
            return None
    first = _past_inline_space(doc, j + 1)
    k = first
    while k < len(doc) and k - first <= 6 and not _line_break(doc[k]) and doc[k].text not in ".,;(":
        k += 1
    while k > first and _inline_space(doc[k - 1]):  # a space before the line's end is not the name's
        k -= 1
    name = [t for t in doc[first:k] if not t.is_space]
    after = _past_inline_space(doc, k)
    at_end = after >= len(doc) or doc[after].is_space or (
        doc[after].text == "." and (after + 1 >= len(doc) or doc[after + 1].is_space))
    if not at_end and not (k < len(doc) and doc[k].text == ","):  # "— Jane Roe, teacher" is signed too
        return None
    if not (0 < len(name) <= 5 and name[0].pos_ == "PROPN" and all(t.pos_ in ("PROPN", "PUNCT") for t in name)):
        return None
    content = [(a, b) for a, b, _ in qtoks.groups[q[2]]]
    return RawAttribution(cue=[j], source=[(first, k)], content=content, kind_hint="signed", confidence=0.6)


_TURN_LABEL = re.compile(r"(?m)^[\"“]?[A-Z]{2,}(?: [A-Z]{2,}){0,2}:")


@lru_cache(maxsize=1)
def non_speaker_labels() -> frozenset[str]:
    """Labels that open a paragraph but name no speaker (data/turn_labels.txt): UPDATE, CORRECTION, VIDEO."""
    text = resources.files("onrecord.nlp").joinpath("data", "turn_labels.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().upper() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def transcript_turns(doc: Doc, text: str | None = None) -> list[RawAttribution]:
    """``WALLACE: Let's start with…`` — a transcript's turns: a paragraph opening with a speaker's name in
    capitals and a colon. A name the article also writes as a proper name elsewhere ("Chris Wallace") is a
    speaker; so is one that opens a paragraph next to such a turn, or next to one of its own turns ("RAMOS:"
    in an exchange with "CLINTON:"), unless data/turn_labels.txt names it (``UPDATE:``, ``VIDEO:``)."""
    # Most articles have no line that opens with a label in capitals. (doc.text is rebuilt from every token
    # on each access: pass the text when you have it.)
    if not _TURN_LABEL.search(doc.text if text is None else text):
        return []
    people = {t.lower_ for ent in doc.ents if ent.label_ == "PERSON" and not ent.text.isupper() for t in ent
              if t.is_alpha}
    people |= {t.lower_ for t in doc if t.pos_ == "PROPN" and t.is_title and t.is_alpha and len(t) > 2}
    if not people:
        return []
    breaks = [t.i for t in doc if _line_break(t)]
    labelled = {}  # paragraph number → (label start, colon, paragraph end)
    for k, start in enumerate([-1, *breaks]):
        i = start + 1
        if i < len(doc) and doc[i].text in QUOTE_MARKS:
            i += 1
        j = i
        while j < len(doc) and j - i < 3 and doc[j].is_alpha and doc[j].text.isupper() and len(doc[j]) > 1:
            j += 1
        if j > i and j < len(doc) and doc[j].text == ":":
            labelled[k] = (i, j, breaks[k] if k < len(breaks) else len(doc))
    label = {k: doc[i:j].text.upper() for k, (i, j, _) in labelled.items()}
    speakers = {label[k] for k, (i, j, _) in labelled.items() if people & {t.lower_ for t in doc[i:j]}}
    if not speakers:
        return []
    others = non_speaker_labels()
    grown = True
    while grown:  # a label next to a speaker's turn is a speaker too, and so are its other turns
        grown = False
        for k in labelled:
            if label[k] not in speakers and label[k] not in others and \
                    (label.get(k - 1) in speakers or label.get(k + 1) in speakers):
                speakers.add(label[k])
                grown = True
    out = []
    for k, (i, j, end) in sorted(labelled.items()):
        if label[k] not in speakers:
            continue
        content = _trim(doc, j + 1, end)
        if content[1] > content[0]:
            out.append(RawAttribution(cue=[j], source=[(i, j)], content=[content], kind_hint="turn", confidence=0.6))
    return out


#: A content this short that a colon ends names what follows the colon ("echoed a theme:", "points out some
#: statistics:").
MAX_ANNOUNCING_TOKENS = 6


def colon_contents(doc: Doc, atts: list[RawAttribution]) -> None:
    """"Each echoed a theme: trade is good for all three", "The foundation points out some statistics:" and a
    paragraph: a short content that a colon ends announces the words after the colon, to the end of that
    paragraph, or the next paragraph when the colon ends its own; the content runs on to there."""
    for att in atts:
        if not att.content:
            continue
        i, j = max(att.content)
        if not 0 < j - i <= MAX_ANNOUNCING_TOKENS or j >= len(doc) - 1 or doc[j].text != ":":
            continue
        k = _past_inline_space(doc, j + 1)
        if k < len(doc) and doc[k].is_space:  # the colon ends its paragraph: the words are in the next
            k += 1
        end = next((t.i for t in doc[k:] if _line_break(t)), len(doc))
        if end > k:
            att.content[-1] = (i, end)


def quotation_contents(doc: Doc, atts: list[RawAttribution], quotes: list[Quote]) -> None:
    """A content that ends where a quotation closes starts where it opens, and one that starts where a
    quotation opens ends where it closes (the cue outside it): PolNeAR train gold takes a quotation whole
    96 % and 97 % of the time in those two cases, the taggers sometimes stop a few words short of a mark."""
    qtoks = _quote_tokens(doc, [q for q in quotes if q.closed])
    for att in atts:
        for k, (i, j) in enumerate(att.content):
            q = qtoks.first_at(i)
            if q is None or any(q[0] <= c < q[1] for c in att.cue):
                continue
            a, b = q[0], q[1]
            if a < i and j <= b and all(t.is_punct or t.is_space for t in doc[j:b]):
                att.content[k] = (a, j)
            elif i == a and j < b and not any(a < s < b for s, _ in att.content[k + 1:]):
                att.content[k] = (i, b)


#: Fine-grained tags of the wh-words :func:`wh_contents` reads ("what", "which", "who", "that" as a relative).
WH_TAGS = frozenset({"WDT", "WP"})


def wh_contents(doc: Doc, atts: list[RawAttribution]) -> None:
    """A wh-word before the cue, in its sentence, that belongs to the content is in the content: "**what** Trump
    says | his tax plan would do", "an explosion **which** police described as | an intentional act". It
    belongs to it when its head is a token of the content (PolNeAR train gold: in the content 425 times of 438)
    or it is the direct object of a cue's token ("**what** he called | a rant": 61 of 84)."""
    for att in atts:
        if not att.content or not att.cue:
            continue
        first = min(att.cue)
        held = {k for i, j in att.content for k in range(i, j)}
        taken = held | {k for i, j in att.source for k in range(i, j)} | set(att.cue)
        if not held or max(held) <= max(att.cue):
            continue  # only a content that goes on after the cue
        added = [w.i for w in doc[doc[first].sent.start:first]
                 if w.tag_ in WH_TAGS and w.i not in taken
                 and (w.head.i in held or (w.dep_ == "dobj" and w.head.i in att.cue))]
        if added:
            att.content = sorted(att.content + [(i, i + 1) for i in added])


def attach_continuations(doc: Doc, atts: list[RawAttribution], qtoks: QuoteTokens) -> None:
    """A sentence that is only a quotation continues the quotation attributed just before it;
    a quotation running over paragraphs is attributed whole."""
    order = {id(q): k for k, q in enumerate(qtoks)}
    for att in atts:
        groups = {q[2] for a, b in att.content for q in qtoks.overlapping(a, b)}
        for q in sorted((q for g in groups for q in qtoks.groups[g]), key=lambda q: order[id(q)]):
            if not any(a <= q[0] < b for a, b in att.content):
                att.content.append((q[0], q[1]))
        att.content.sort()
    claimed = {q for a in atts for s in a.content for q in range(s[0], s[1])}
    by_end = sorted(atts, key=lambda a: max(s[1] for s in a.content))
    # Position in by_end of the attributions by where their content ends now (an end moves when a
    # continuation is attached): the latest one ending within 60 tokens before a quote is found directly.
    ending_at: dict[int, set[int]] = {}
    for k, a in enumerate(by_end):
        ending_at.setdefault(max(s[1] for s in a.content), set()).add(k)
    for q in qtoks:
        if q[0] in claimed:
            continue
        sent = doc[q[0]].sent
        rest = [t for t in sent if not (q[0] <= t.i < q[1]) and not t.is_punct and not t.is_space]
        if rest:
            continue
        near = [k for end in range(q[0] - 59, q[0] + 1) for k in ending_at.get(end, ())]
        if not near:
            continue
        at = max(near)
        last = by_end[at]
        last_end = max(s[1] for s in last.content)
        between = doc[last_end : q[0]]
        # Only when nothing but the attribution's own cue and source separates them.
        if any(t.i not in last.cue and not t.is_punct and not t.is_space
               and not any(a <= t.i < b for a, b in last.source) for t in between):
            continue
        last.content.append((q[0], q[1]))
        claimed.update(range(q[0], q[1]))
        if q[1] > last_end:
            ending_at[last_end].discard(at)
            ending_at.setdefault(q[1], set()).add(at)


_INTRODUCERS = ("according", "as", "quoted", "reported", "in")
#: Attributions found from the layout of the text rather than its words (see signed_quote, transcript_turns).
LAYOUT_KINDS = ("signed", "turn")
# Hashes of every word a rule can start from: only those tokens are looked at one by one.
_CANDIDATE_LEMMAS = np.array(sorted({hash_string(w) for w in lexicon.ALL_VERB_CUES | lexicon.NOMINAL_CUES}),
                             dtype=np.uint64)
_CANDIDATE_LOWERS = np.array(sorted({hash_string(w) for w in lexicon.BELIEF_ADJECTIVES | set(_INTRODUCERS)}),
                             dtype=np.uint64)


def _candidates(doc: Doc) -> np.ndarray:
    arr = doc.to_array([LEMMA, LOWER]).reshape(len(doc), 2)
    return np.flatnonzero(np.isin(arr[:, 0], _CANDIDATE_LEMMAS) | np.isin(arr[:, 1], _CANDIDATE_LOWERS))


def extract_raw(doc: Doc, quotes: list[Quote], text: str | None = None) -> list[RawAttribution]:
    """All rule attributions of a parsed document, one per cue (``text``: ``doc.text``, when the caller has it)."""
    qtoks = _quote_tokens(doc, quotes)
    out: list[RawAttribution] = []
    used_cues: set[int] = set()
    for i in _candidates(doc) if len(doc) else ():
        tok = doc[int(i)]
        att = None
        if tok.lower_ in _INTRODUCERS and tok.i not in used_cues:
            att = according_to(tok)
        if att is None and is_verb_cue(tok):
            att = verb_attribution(tok, qtoks)
        if att is None and tok.pos_ == "NOUN":
            att = nominal(tok)
        if att is None and tok.pos_ == "ADJ":
            att = belief_adjective(tok)
        if att is not None and not used_cues.intersection(att.cue):
            used_cues.update(att.cue)
            out.append(att)
    layout = [a for q in qtoks if (a := signed_quote(doc, q, qtoks)) is not None] + transcript_turns(doc, text)
    for att in layout:
        if not used_cues.intersection(att.cue):
            used_cues.update(att.cue)
            out.append(att)
    for sent in list(doc.sents)[:2]:
        att = headline_colon(doc, sent, qtoks)
        if att is not None and not used_cues.intersection(att.cue):
            out.append(att)
    attach_continuations(doc, out, qtoks)
    return out
