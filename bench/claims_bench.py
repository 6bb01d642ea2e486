"""Claims and positions against hand annotation: the fixtures, a held-out set and the seed article (issue 5).

    python bench/claims_bench.py                       # print the figures
    python bench/claims_bench.py --record bench/RESULTS.md   # and append them as a dated section

Sets:
  tests/fixtures/claims            7 articles, 6 claims, 6 positions (written while the rules were built)
  tests/fixtures/claims/heldout    3 articles, 3 claims, 5 positions (written afterwards, not tuned on)
  ../shared/data/seed              the example article: 3 contested claims, 8 positions

Everything runs in memory (parse, analyse, group), the same code the store's
finalize step runs.  Matching rules are in onrecord/claims/evaluate.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _record import record  # noqa: E402

from onrecord import Extractor  # noqa: E402
from onrecord.analysis import ArticleMeta  # noqa: E402
from onrecord.claims import claims_from_texts  # noqa: E402
from onrecord.claims.evaluate import load_gold, score_claims, score_positions  # noqa: E402
from onrecord.ingest.text import split_header  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "claims"
SEED = ROOT.parent / "shared" / "data" / "seed"


def articles(folder: Path) -> list[tuple[str, ArticleMeta]]:
    out = []
    for path in sorted(folder.glob("*.txt")):
        meta, body = split_header(path.read_text(encoding="utf-8"))
        out.append((body, ArticleMeta(origin=str(path), outlet=meta.get("outlet"), published=meta.get("published"),
                                      title=meta.get("title"))))
    return out


def run_set(extractor, name: str, items, gold_path: Path, *, contested_only: bool = False) -> dict:
    start = time.perf_counter()
    claims, positions = claims_from_texts(extractor, items)
    seconds = time.perf_counter() - start
    gold_claims, gold_positions = load_gold(gold_path)
    cs = score_claims(gold_claims, claims, contested_only=contested_only)
    ps = score_positions(gold_positions, positions)
    return {"set": name, "articles": len(items), "seconds": round(seconds, 2), "claims": cs.to_dict(),
            "positions": ps.to_dict(), "predicted_claims": len(claims),
            "predicted_contested": sum(c.contested for c in claims)}


def grouping_speed(n_articles: int = 5000, per_article: int = 8) -> tuple[int, int, float]:
    """Seconds to group a store-sized batch of synthetic mentions (what finalize does after each batch)."""
    import random
    import string

    from onrecord.claims.grouping import SourcedMention, group_mentions
    from onrecord.claims.records import ClaimKind, ClaimMention
    from onrecord.records import Span

    rng = random.Random(5)
    places = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 10))).title()
              for _ in range(n_articles // 2)]
    items = [SourcedMention(str(a), ClaimMention(
        kind=ClaimKind.CONTROL, target=rng.choice(places), party=rng.choice(["Russia", "Ukrainian military", "Kremlin"]),
        polarity=rng.choice([1, -1]), span=Span(j, j + 5), text="x", holder=rng.choice(["Russia", "Ukraine", None])))
        for a in range(n_articles) for j in range(per_article)]
    start = time.perf_counter()
    claims = group_mentions(items)
    return len(items), len(claims), time.perf_counter() - start


def table(results: list[dict], version: str) -> str:
    lines = [f"- extractor: `{version}`", "",
             "Assertion/dispute links are (claim, party, side). \"grouped once\": gold claims found as exactly one "
             "group. \"right parties\": exactly the gold parties on each side. Positions: party, proposal and stance "
             "all right.", "",
             "| set | articles | link precision | link recall | links (true / predicted / gold) | grouped once "
             "| right parties | wrong side | false disputes | positions right | time (s) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        c, p = r["claims"], r["positions"]
        lines.append(
            f"| {r['set']} | {r['articles']} | {c['link_precision']:.3f} | {c['link_recall']:.3f} | "
            f"{c['true_links']} / {c['predicted_links']} / {c['gold_links']} | {c['grouped_once']} / {c['gold_claims']}"
            f" | {c['right_parties']} / {c['gold_claims']} | {len(c['wrong_side'])} | {len(c['false_disputes'])} | "
            f"{p['correct']} / {p['gold']} | {r['seconds']} |")
    lines.append("")
    for r in results:
        c, p = r["claims"], r["positions"]
        notes = c["wrong_side"] + [f"false dispute: {x}" for x in c["false_disputes"]] + [
            f"extra contested claim: {x}" for x in c["extra_contested"]] + [f"position: {x}" for x in p["misses"]]
        if notes:
            lines.append(f"{r['set']}: " + "; ".join(notes))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record", metavar="RESULTS.md", help="append the result to this file")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    parser.add_argument("--note", default="", help="a paragraph to add under the table (context for the figures)")
    args = parser.parse_args()
    extractor = Extractor()
    results = [run_set(extractor, "fixtures", articles(FIXTURES), FIXTURES / "gold.json"),
               run_set(extractor, "held-out", articles(FIXTURES / "heldout"), FIXTURES / "heldout" / "gold.json")]
    if (SEED / "moscow-talks.gold.json").exists():
        gold = json.loads((SEED / "moscow-talks.gold.json").read_text(encoding="utf-8"))
        text = (SEED / gold["text_file"]).read_text(encoding="utf-8")
        results.append(run_set(extractor, "seed (contested only)",
                               [(text, ArticleMeta(origin="seed", published=gold.get("published")))],
                               SEED / "moscow-talks.gold.json", contested_only=True))
    if args.json:
        print(json.dumps(results, indent=2))
    n, groups, seconds = grouping_speed()
    body = table(results, extractor.version) + (
        f"\n\nGrouping speed (finalize's core, synthetic): {n:,} mentions into {groups:,} claims in "
        f"{seconds:.2f} s on one core.") + (f"\n\n{args.note}" if args.note else "")
    record(args.record, "Claims: assertion/dispute links, grouping and positions (issue 5)", body)


if __name__ == "__main__":
    main()
