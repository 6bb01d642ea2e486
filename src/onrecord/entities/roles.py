"""Roles from titles and appositions: "Putin’s chief aide Yuri Ushakov", "Dmitry Peskov, the Kremlin spokesman".

A role is a title and whom it is for.  The "for whom" comes from a possessor
("Trump’s envoy"), a country word ("French President", "US Secretary of
State"), a seat of government or organisation ("Kremlin spokesman", "NATO
Secretary General") or an "of" phrase ("the mayor of Kharkiv").  A possessor
is shared along a coordination: in "Trump’s envoy Steve Witkoff and son-in-law
Jared Kushner" Kushner is Trump’s son-in-law.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span as SpacySpan, Token

from ..nlp import gazetteer, lexicon
from ..records import Span
from .names import TITLE_WORDS, fold, org_key, strip_article
from .records import Role

FAMILY = frozenset("son daughter wife husband brother sister father mother son-in-law daughter-in-law".split())
ROLE_WORDS = frozenset(lexicon.SPEAKER_ROLE_NOUNS | TITLE_WORDS | FAMILY | {"secretary-general", "ceo", "founder"}) - {
    "source", "sources", "former", "acting", "interim", "incoming", "outgoing", "then", "late", "state", "foreign",
    "defence", "defense", "interior", "finance", "justice", "vice", "deputy", "field", "government", "military",
    "army", "ministry", "administration", "campaign",
}
# Spellings of one title; the key uses the first word of each group.
_TITLE_SYNONYMS = {
    "spokeswoman": "spokesman", "spokesperson": "spokesman", "press secretary": "spokesman",
    "advisor": "adviser", "defense": "defence", "secretary general": "secretary-general",
    "premier": "prime minister", "head of state": "president",
}
_POSSESSIVE = {"’s", "'s", "’", "'"}
_MAX_RUN = 8


# Pure functions of the text, asked for the same few titles across a whole store (the second pass of finalize).
@lru_cache(maxsize=1 << 16)
def normalise_title(title: str) -> str:
    t = fold(title).replace("-", " ")
    t = " ".join(w for w in t.split() if w not in ("the", "a", "an"))
    for a, b in _TITLE_SYNONYMS.items():
        t = t.replace(a, b)
    return t


@lru_cache(maxsize=1 << 16)
def role_key(title: str, of: str | None) -> str:
    """Key that two reports of the same role share: ('Kremlin spokeswoman', …) == ('spokesman', 'the Kremlin')."""
    return f"{normalise_title(title)}|{org_key(of) if of else ''}"


def _joined(a: Token, b: Token) -> bool:
    """No space between a and b: 'son-in-law' is one word to a reader."""
    return a.idx + len(a.text) == b.idx


def _is_role_word(tok: Token) -> bool:
    return tok.lower_ in ROLE_WORDS or tok.lemma_.lower() in ROLE_WORDS


def _country_word(tok: Token) -> str | None:
    """The country a title word names: 'French' → France, 'US' → United States, 'Kremlin' is not a country word."""
    if tok.text.lower() in gazetteer.SEAT_TO_COUNTRY:
        return None
    return gazetteer.country_of(tok.text)


def _split(tokens: list[Token], doc_text: str, names: dict[str, str]) -> Role | None:
    """Possessor / country / organisation at the front, title after."""
    if not tokens or not any(_is_role_word(t) for t in tokens):
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc_text[start:end]
    of: str | None = None
    rest = tokens
    marks = [i for i, t in enumerate(tokens) if t.text in _POSSESSIVE]
    if marks:
        k = marks[-1]
        owner = doc_text[tokens[0].idx : tokens[k - 1].idx + len(tokens[k - 1].text)] if k else ""
        rest = tokens[k + 1 :]
        owner = strip_article(owner)
        country = gazetteer.country_of(owner) if owner.lower() not in gazetteer.SEAT_TO_COUNTRY else None
        of = country or names.get(fold(owner), gazetteer.expand_acronym(owner)) or None
    else:
        # Leading country words, seats and organisation names say whom the title serves.
        lead: list[Token] = []
        for t in rest:
            if _is_role_word(t) or (t.i + 1 < len(t.doc) and t.doc[t.i + 1].text == "-" and _joined(t, t.doc[t.i + 1])):
                break  # "Moscow-based analyst": a compound adjective, not whom the role serves
            if _country_word(t) or t.text.lower() in gazetteer.SEAT_TO_COUNTRY or (
                t.pos_ == "PROPN" and t.ent_type_ in ("ORG", "GPE", "NORP", "FAC")
                and t.lower_ not in TITLE_WORDS
            ):
                lead.append(t)
                continue
            break
        if lead and len(lead) < len(rest):
            words = doc_text[lead[0].idx : lead[-1].idx + len(lead[-1].text)]
            country = gazetteer.country_of(words) if len(lead) > 1 else _country_word(lead[0])
            if country:
                of = country
            elif words.lower() in gazetteer.SEAT_TO_COUNTRY:
                of = strip_article(words)
            else:
                of = strip_article(gazetteer.expand_acronym(words))
            rest = rest[len(lead) :]
    # "the mayor of Kharkiv": the "of" phrase names whom the role serves.
    if of is None:
        for i, t in enumerate(rest):
            if t.lower_ == "of" and i > 0 and _is_role_word(rest[i - 1]) and i + 1 < len(rest):
                obj = doc_text[rest[i + 1].idx : rest[-1].idx + len(rest[-1].text)]
                # "the mayor of Lisbon" serves the city: a capital after "of" is not its government.
                country = None if gazetteer.capital_name(strip_article(obj)) else gazetteer.country_of(strip_article(obj))
                if rest[i + 1].pos_ in ("PROPN", "DET") and rest[-1].pos_ == "PROPN":
                    of = country or strip_article(gazetteer.expand_acronym(strip_article(obj)))
                    rest = rest[:i]
                break
    if not rest:
        return None
    title = doc_text[rest[0].idx : rest[-1].idx + len(rest[-1].text)]
    if not any(_is_role_word(t) for t in rest):
        return None
    return Role(title=title, of=of, text=text, span=Span(start, end))


def _run_before(ent: SpacySpan) -> list[Token]:
    """Title words written just before a name: 'Putin’s chief aide [Yuri Ushakov]'."""
    doc = ent.doc
    run: list[Token] = []
    i = ent.start - 1
    while i >= 0 and len(run) < _MAX_RUN:
        t = doc[i]
        nxt = doc[i + 1]
        if t.text in _POSSESSIVE and i > 0 and _joined(doc[i - 1], t):
            run.insert(0, t)
        elif t.text in ("-", "‑") and i > 0 and _joined(doc[i - 1], t) and _joined(t, nxt):
            run.insert(0, t)
        elif t.lower_ in ("in", "of") and i > 0 and run and (
            (_joined(doc[i - 1], t) is False and doc[i - 1].text in ("-",)) or (_joined(t, nxt) and nxt.text == "-")
            or (t.lower_ == "of" and nxt.pos_ == "PROPN" and doc[i - 1].pos_ == "PROPN")
        ):
            run.insert(0, t)
        elif t.pos_ in ("PROPN", "NOUN", "ADJ") and t.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL",
                                                                        "PERCENT", "MONEY"):
            if t.ent_type_ == "PERSON" and not (nxt.text in _POSSESSIVE):
                break
            run.insert(0, t)
        else:
            break
        i -= 1
    while run and (run[0].text in _POSSESSIVE or run[0].lower_ in ("of", "in", "-")):
        run.pop(0)
    return run


def _appos_tokens(ent: SpacySpan) -> list[Token]:
    """The role phrase in apposition to a name, either side: ', the Kremlin spokesman,'."""
    head = ent.root
    phrase_root = None
    for child in head.children:
        if child.dep_ == "appos" and not (ent.start <= child.i < ent.end) and child.ent_type_ != "PERSON":
            phrase_root = child
            break
    if phrase_root is None and head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN") \
            and head.head.ent_type_ != "PERSON":
        phrase_root = head.head
    if phrase_root is None or not _is_role_word(phrase_root):
        return []
    toks = [t for t in phrase_root.subtree if not (ent.start <= t.i < ent.end)]
    # Keep the contiguous run around the role word; stop at clauses and punctuation.
    out: list[Token] = []
    for t in toks:
        if t.i < phrase_root.i:
            if t.is_punct and t.text not in ("-",) or t.dep_ == "det":
                out = []
                continue
            out.append(t)
        elif t.i == phrase_root.i:
            out.append(t)
        else:
            if t.is_punct and t.text != "-" or t.dep_ in ("relcl", "acl") or t.lower_ in ("who", "which", "that"):
                break
            if t.ent_type_ == "PERSON" or t.pos_ == "VERB":
                break
            out.append(t)
    return out[:_MAX_RUN]


def roles_for(ent: SpacySpan, names: dict[str, str], doc_text: str | None = None) -> list[Role]:
    """The roles written next to one person mention (titles before it and appositions)."""
    roles: list[Role] = []
    doc_text = ent.doc.text if doc_text is None else doc_text
    for tokens, source in ((_run_before(ent), "title"), (_appos_tokens(ent), "appos")):
        role = _split(tokens, doc_text, names)
        if role is not None:
            roles.append(Role(role.title, role.of, role.text, role.span, source))
    return roles


def shared_possessor(roles: list[Role], first: list[Role]) -> list[Role]:
    """'Trump’s envoy Steve Witkoff and son-in-law Jared Kushner': the second role is Trump’s too."""
    owners = [r for r in first if r.of and r.source == "title" and ("’s" in r.text or "'s" in r.text)]
    if not owners:
        return roles
    owner = owners[0]
    possessor = owner.text.split("’s")[0].split("'s")[0]
    out = []
    for r in roles:
        if r.of is None and r.source == "title":
            out.append(Role(r.title, owner.of, f"{possessor}’s {r.text}", r.span, "conj"))
        else:
            out.append(r)
    return out
