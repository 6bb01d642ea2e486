"""Scoring merges against hand labels: pairwise precision and recall over an article set.

A labelled set is a JSON manifest (see tests/fixtures/entities/articles.json):
each article has ``file``, ``outlet``, ``published`` and ``gold``, a map from
the names the article uses to a gold entity id.  Every local entity with a
name in its article's ``gold`` map is scored; two scored entities are a true
merge when they share a gold id.  Precision = correct merges / merges made,
recall = correct merges / merges that should be made, both over pairs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from ..analysis import ArticleMeta
from .aliases import AliasRules, load_aliases
from .enricher import analyse_article
from .merge import ArticleInput, Canonical, canonicalise
from .names import skeleton
from .records import ArticleEntities


@dataclass(frozen=True, slots=True)
class MergeScore:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    scored_entities: int
    false_merges: tuple[tuple[str, str], ...]
    missed_merges: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def load_labelled(manifest: str | Path, extractor: Any) -> tuple[list[ArticleInput], dict[tuple[str, int], str]]:
    """Analyse every article of a manifest; returns the merge inputs and (article, local) → gold id."""
    manifest = Path(manifest)
    spec = json.loads(manifest.read_text("utf-8"))
    inputs: list[ArticleInput] = []
    gold: dict[tuple[str, int], str] = {}
    for item in spec["articles"]:
        text = (manifest.parent / item["file"]).read_text("utf-8")
        meta = ArticleMeta(origin=item["file"], outlet=item.get("outlet"), published=item.get("published"))
        doc = extractor.parse(text)
        data = analyse_article(doc, meta)
        ents = ArticleEntities.from_dict(data["entities"])
        inputs.append(ArticleInput(item["file"], ents, data["published"], meta.outlet))
        labels = {skeleton(k): v for k, v in item.get("gold", {}).items()}
        for e in ents.entities:
            hits = {labels[skeleton(v)] for v in e.variants if skeleton(v) in labels}
            if len(hits) == 1:
                gold[(item["file"], e.local)] = hits.pop()
    return inputs, gold


def score_merges(result: Canonical, gold: dict[tuple[str, int], str],
                 names: dict[tuple[str, int], str] | None = None) -> MergeScore:
    nodes = sorted(gold)
    true_pairs = predicted = correct = 0
    false, missed = [], []
    for a, b in combinations(nodes, 2):
        same_gold = gold[a] == gold[b]
        same_pred = result.members.get(a) == result.members.get(b)
        true_pairs += same_gold
        predicted += same_pred
        correct += same_gold and same_pred
        label = lambda n: f"{n[0]}#{(names or {}).get(n, n[1])}"  # noqa: E731
        if same_pred and not same_gold:
            false.append((label(a), label(b)))
        elif same_gold and not same_pred:
            missed.append((label(a), label(b)))
    return MergeScore(
        precision=correct / predicted if predicted else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        true_pairs=true_pairs, predicted_pairs=predicted, correct_pairs=correct, scored_entities=len(nodes),
        false_merges=tuple(false), missed_merges=tuple(missed),
    )


def evaluate_manifest(manifest: str | Path, extractor: Any, rules: AliasRules | None = None) -> tuple[MergeScore, Canonical]:
    inputs, gold = load_labelled(manifest, extractor)
    result = canonicalise(inputs, rules if rules is not None else load_aliases(builtin=True))
    names = {(a.article_id, e.local): e.name for a in inputs for e in a.entities.entities}
    return score_merges(result, gold, names), result


def seed_report(extractor: Any, text_path: str | Path, gold_path: str | Path) -> dict[str, Any]:
    """The issue's targets on an annotated article (gold JSON in the shape of the shared seed article).

    ``people``: gold people found as PERSON entities, and with a matching role;
    ``speakers``: gold attributions whose cue the extractor found, and how many of
    those have the gold canonical speaker (also counted only where the extractor's
    source is the gold source, which isolates this feature from extraction errors);
    ``dates``: gold date expressions resolved; ``figures``: gold-reported figures found.
    """
    from ..dates import date_mentions
    from .names import fold
    from .roles import normalise_title

    gold = json.loads(Path(gold_path).read_text("utf-8"))
    text = Path(text_path).read_text("utf-8")
    meta = ArticleMeta(origin=str(text_path), published=gold.get("published"))
    doc = extractor.parse(text)
    atts = doc._.attributions
    data = analyse_article(doc, meta, atts)
    ents = ArticleEntities.from_dict(data["entities"])

    people = []
    for g in gold.get("entities", []):
        found = ents.find(g["name"])
        mine = [r for r in found.roles] if found is not None else []
        matched = [gr for gr in g.get("roles", [])
                   if any(fold(gr) == fold(r.text) or normalise_title(gr).endswith(normalise_title(r.title))
                          and fold(r.text).split()[0] == fold(gr).split()[0] for r in mine)]
        people.append({"name": g["name"], "found": found is not None and found.type.value == "PERSON",
                       "roles_gold": g.get("roles", []), "roles_found": [r.text for r in mine],
                       "roles_matched": matched})

    speakers = []
    said = {d["idx"]: d for d in data["said_on"]}
    for g in gold.get("attributions", []):
        c0, c1 = g["cue"]
        hits = [i for i, a in enumerate(atts) if any(s.start < c1 and c0 < s.end for s in a.cue)]
        names = [ents.speaker_of(i).name if ents.speaker_of(i) else None for i in hits]
        same_source = [i for i in hits if fold(atts[i].source_text) == fold(g["source_text"])]
        speakers.append({
            "gold": g["speaker"], "source_text": g["source_text"], "cue_found": bool(hits),
            "predicted": names, "correct": skeleton(g["speaker"]) in {skeleton(n) for n in names if n},
            "extractor_source_right": bool(same_source),
            "said_on_gold": g.get("date"), "said_on": [said[i]["value"] for i in hits if i in said],
        })

    mentions = {m.date.text: m.date.value for m in date_mentions(doc, gold.get("published"))}
    dates = {expr: {"gold": value, "found": next((v for t, v in mentions.items() if expr.lower() in t.lower()), None)}
             for expr, value in gold.get("dates", {}).items() if expr != "published_assumed"}

    figures = [q for q in data["quantities"]]
    return {"people": people, "speakers": speakers, "dates": dates, "figures": figures}
