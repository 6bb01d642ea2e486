"""The resolution layer's figures on an evaluation set: speakers found and right, clean names, safe merges.

    python bench/resolve_bench.py ../shared/data/polnear/disputes [--work DIR] [--record bench/RESULTS.md]

Steps (all with the installed ``onrecord`` command and the shared scorers in ``../shared/tools``):

1. ``onrecord extract`` over the set's texts (JSONL), timed with its peak RSS and words/s, then
   ``speaker_score.py contested``: attributions found and with the right (canonical) speaker;
2. ``onrecord ingest`` of the set into a fresh store, then ``onrecord speakers --json``: names that are not
   clean (:func:`onrecord.names.dirt`: determiners, pronouns, datelines, duplicated words, token spacing);
3. the store's entities: names not clean, places or countries typed PERSON, institutions merged across
   countries (an entity whose per-article members say different countries), and the speaker scorer on the
   canonical entity name each stored statement shows;
4. the errors by kind: found attributions by the kind of source mention (headline, pronoun, people joined,
   name, description) with how many have the right speaker, and missed ones by cause (cue not found, nested in
   another attribution's content, a headline cue, cue found with its content elsewhere).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _record import record  # noqa: E402

from onrecord.names import dirt, gazetteer  # noqa: E402


def _tools(evalset: Path) -> Path:
    for parent in evalset.resolve().parents:
        if (parent / "tools" / "speaker_score.py").exists():
            return parent / "tools"
    raise SystemExit(f"no tools/speaker_score.py above {evalset}")


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, **kw)


def extract_and_score(evalset: Path, tools: Path, work: Path) -> dict:
    paths = _run([sys.executable, str(tools / "evalsets.py"), "--paths", str(evalset)],
                 capture_output=True).stdout.split()
    words = sum(len(Path(p).read_text(encoding="utf-8").split()) for p in paths)
    out = work / "extract.jsonl"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open(out, "w", encoding="utf-8") as handle:
        _run(["onrecord", "extract", *paths, "--format", "jsonl"], stdout=handle)
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    scored = _run([sys.executable, str(tools / "speaker_score.py"), "contested", str(evalset), str(out)],
                  capture_output=True)
    result = json.loads(scored.stdout.strip().splitlines()[-1])
    result.update(words=words, seconds=round(seconds, 1), words_per_s=round(words / seconds),
                  peak_rss_mb=round(peak / 1024))
    return result


def store_figures(evalset: Path, tools: Path, work: Path) -> dict:
    jsonl, db = work / "set.jsonl", work / "set.db"
    db.unlink(missing_ok=True)
    with open(jsonl, "w", encoding="utf-8") as handle:
        _run([sys.executable, str(tools / "evalsets.py"), "--jsonl", str(evalset)], stdout=handle)
    _run(["onrecord", "ingest", str(jsonl), "--db", str(db)], capture_output=True)
    listed = _run(["onrecord", "speakers", "--db", str(db), "-n", "100000", "--json"], capture_output=True).stdout
    speakers = [json.loads(line) for line in listed.splitlines() if line.strip()]
    dirty = Counter(d for s in speakers if (d := dirt(s["name"])))
    examples = sorted({s["name"] for s in speakers if dirt(s["name"])})[:10]

    import sqlite3

    conn = sqlite3.connect(db)
    entities = conn.execute("SELECT id, name, type FROM entities").fetchall()
    entity_dirt = Counter(d for _, name, _ in entities if (d := dirt(name)))
    places_as_people = sorted(name for _, name, type_ in entities
                              if type_ == "PERSON" and gazetteer.country_of(name))
    mixed = conn.execute(
        "SELECT m.entity_id, group_concat(DISTINCT l.country) FROM entity_members m"
        " JOIN entity_locals l ON l.article_id = m.article_id AND l.local = m.local"
        " JOIN entities e ON e.id = m.entity_id"
        " WHERE l.country IS NOT NULL AND e.type IN ('ORG', 'GOVERNMENT', 'ROLE')"
        " GROUP BY m.entity_id HAVING count(DISTINCT l.country) > 1").fetchall()
    entity_score = _score_store_speakers(conn, evalset, tools, work)
    conn.close()
    return {"entity_score": entity_score, "speakers_listed": len(speakers), "speaker_names_not_clean": sum(dirty.values()),
            "speaker_dirt": dict(dirty), "dirty_examples": examples, "entities": len(entities),
            "entity_names_not_clean": sum(entity_dirt.values()), "entity_dirt": dict(entity_dirt),
            "places_typed_person": places_as_people, "cross_country_merges": [m[0] for m in mixed]}


PRONOUNS = {"he", "she", "his", "her", "him", "they", "their", "them", "it", "its", "who", "which", "that", "we",
            "i", "you"}


def _mention_kind(att: dict, text: str) -> str:
    """What kind of source mention a found attribution has: headline, pronoun, people joined, name, description."""
    mention = (att.get("speaker_mention") or att.get("source_text") or "").strip()
    newline = text.find("\n")
    if not mention:
        return "no source"
    if 0 < newline and att["cue"][0][0] < newline:
        return "headline"
    if mention.lower() in PRONOUNS:
        return "pronoun"
    if " and " in f" {mention} " or ("," in mention and att.get("speaker_type") == "GROUP"):
        return "people joined or plural"
    words = mention.replace("’", "'").split()
    if any(w[:1].isupper() for w in words if w.lower() not in ("the", "a", "an")):
        return "named (name, title + name, organisation)"
    return "description (the company, the former secretary)"


def error_kinds(evalset: Path, tools: Path, extract_jsonl: Path) -> tuple[dict, dict]:
    """Found attributions by source mention kind ([found, right]) and missed ones by cause, with the shared
    scorer's matching (a prediction whose cue and content overlap the gold cue and content anchor)."""
    sys.path.insert(0, str(tools))
    from evalsets import texts_dir  # noqa: E402  (the shared tools' own helpers)
    from names import same  # noqa: E402
    from speaker_score import load_pred, overlaps, spans  # noqa: E402

    pred = load_pred(str(extract_jsonl))
    found: dict[str, list[int]] = {}
    missed: Counter = Counter()
    for gold_path in sorted((evalset / "gold").glob("*.json")):
        text = (texts_dir(evalset) / (gold_path.stem + ".txt")).read_text(encoding="utf-8")
        preds = pred.get(gold_path.stem, [])
        for gold in json.loads(gold_path.read_text(encoding="utf-8"))["attributions"]:
            cs = gold["cue_start"]
            ce = cs + len(gold["cue"])
            starts = [i for i in range(len(text)) if text.startswith(gold["content_anchor"], i)]
            a0 = min(starts, key=lambda i: abs(i - cs))
            a1 = a0 + len(gold["content_anchor"])
            hit = next((p for p in preds if overlaps(spans(p, "cue"), cs, ce) and overlaps(spans(p, "content"), a0, a1)),
                       None)
            if hit is None:
                newline = text.find("\n")
                if 0 < newline and cs < newline:
                    missed["headline cue"] += 1
                elif any(overlaps(spans(p, "cue"), cs, ce) for p in preds):
                    missed["cue found, content elsewhere"] += 1
                elif any(overlaps(spans(p, "content"), cs, ce) for p in preds):
                    missed["nested in another attribution's content"] += 1
                else:
                    missed["cue not found"] += 1
                continue
            row = found.setdefault(_mention_kind(hit, text), [0, 0])
            row[0] += 1
            row[1] += bool(same(hit.get("speaker") or "", gold["speaker"]))
    return found, dict(missed)


def _kinds_table(found: dict, missed: dict) -> str:
    rows = "".join(f"| {k} | {f} | {r} | {f - r} |\n" for k, (f, r) in sorted(found.items()))
    causes = "".join(f"| {k} | {n} |\n" for k, n in sorted(missed.items(), key=lambda x: -x[1]))
    return ("\n| source mention (found) | found | right | wrong |\n|---|---:|---:|---:|\n" + rows
            + "\n| missed: cause | count |\n|---|---:|\n" + causes)


def _score_store_speakers(conn, evalset: Path, tools: Path, work: Path) -> dict:
    """The shared speaker scorer on what the store shows: each statement's canonical entity name."""
    sys.path.insert(0, str(tools))
    from evalsets import texts_dir  # noqa: E402  (the shared tools' own helper)

    stems = {(texts_dir(evalset) / (g.stem + ".txt")).read_text(encoding="utf-8"): g.stem
             for g in sorted((evalset / "gold").glob("*.json"))}
    out = work / "store_speakers.jsonl"
    with open(out, "w", encoding="utf-8") as handle:
        for article_id, text in conn.execute("SELECT id, text FROM articles"):
            if text not in stems:
                continue
            rows = conn.execute(
                "SELECT a.cue_spans, a.content_spans, coalesce(v.entity_name, '') FROM attributions a"
                " LEFT JOIN statement_speakers v ON v.article_id = a.article_id AND v.idx = a.idx"
                " WHERE a.article_id = ?", (article_id,))
            atts = [{"cue": json.loads(c), "content": json.loads(t), "speaker": n} for c, t, n in rows]
            handle.write(json.dumps({"id": stems[text], "attributions": atts}) + "\n")
    scored = _run([sys.executable, str(tools / "speaker_score.py"), "contested", str(evalset), str(out)],
                  capture_output=True)
    return json.loads(scored.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("evalset", type=Path, help="an evaluation set folder with gold/ and set.json")
    ap.add_argument("--work", type=Path, default=None, help="folder for the extract output and the store")
    ap.add_argument("--record", default=None, help="append the result to this markdown file")
    args = ap.parse_args()
    if not (args.evalset / "gold").is_dir():
        raise SystemExit(f"{args.evalset} has no gold/ folder: not an evaluation set")
    tools = _tools(args.evalset)
    work = args.work or Path(tempfile.mkdtemp(prefix="resolve-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    scored = extract_and_score(args.evalset, tools, work)
    store = store_figures(args.evalset, tools, work)
    body = (
        f"| figure | value |\n|---|---:|\n"
        f"| attributions (gold) | {scored['gold']} |\n"
        f"| found | {scored['found_pct']} % ({scored['found']}) |\n"
        f"| right speaker (`onrecord extract`) | {scored['speaker_right_pct']} % ({scored['speaker_right']}) |\n"
        f"| right speaker (the store's canonical entity) | {store['entity_score']['speaker_right_pct']} %"
        f" ({store['entity_score']['speaker_right']}) |\n"
        f"| `onrecord extract` words/s (one process, {scored['words']} words) | {scored['words_per_s']} |\n"
        f"| `onrecord extract` peak RSS | {scored['peak_rss_mb']} MB |\n"
        f"| `onrecord speakers` rows | {store['speakers_listed']} |\n"
        f"| of which not clean names | {store['speaker_names_not_clean']} {store['speaker_dirt'] or ''} |\n"
        f"| entities | {store['entities']} |\n"
        f"| entity names not clean | {store['entity_names_not_clean']} {store['entity_dirt'] or ''} |\n"
        f"| places or countries typed PERSON | {len(store['places_typed_person'])} |\n"
        f"| institutions merged across countries | {len(store['cross_country_merges'])} |\n"
    )
    body += _kinds_table(*error_kinds(args.evalset, tools, work / "extract.jsonl"))
    if store["dirty_examples"]:
        body += "\nnot clean: " + ", ".join(repr(n) for n in store["dirty_examples"]) + "\n"
    if store["places_typed_person"] or store["cross_country_merges"]:
        body += f"\nplaces as PERSON: {store['places_typed_person']}; cross-country: {store['cross_country_merges']}\n"
    record(args.record, f"Resolution layer on {args.evalset.name}", body)


if __name__ == "__main__":
    main()
