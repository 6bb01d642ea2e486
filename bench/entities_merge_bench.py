"""Precision and recall of entity merges on the hand-labelled fixtures, and the issue's seed-article targets.

    python bench/entities_merge_bench.py                       # fixtures + held-out set + seed article
    python bench/entities_merge_bench.py --json                # the same as one JSON object

Merges are scored over pairs of labelled local entities (see onrecord.entities.evaluate).
tests/fixtures/entities/articles.json was written while the rules were built;
tests/fixtures/entities/heldout.json was written afterwards and never tuned on.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "entities"
SEED = ROOT.parent / "shared" / "data" / "seed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    from onrecord import Extractor
    from onrecord.entities.evaluate import evaluate_manifest, seed_report

    t0 = time.perf_counter()
    extractor = Extractor()
    out: dict = {"python": platform.python_version(), "extractor": extractor.version}
    for name in ("articles", "heldout"):
        manifest = FIXTURES / f"{name}.json"
        if manifest.exists():
            score, _ = evaluate_manifest(manifest, extractor)
            out[name] = score.to_dict()
    if (SEED / "moscow-talks.gold.json").exists():
        rep = seed_report(extractor, SEED / "moscow-talks.txt", SEED / "moscow-talks.gold.json")
        sp = rep["speakers"]
        right_source = [s for s in sp if s["extractor_source_right"]]
        dated = [s for s in sp if s["said_on_gold"]]
        out["seed"] = {
            "people_found": sum(p["found"] for p in rep["people"]),
            "people_with_a_gold_role": sum(bool(p["roles_matched"]) for p in rep["people"]),
            "gold_roles_matched": sum(len(p["roles_matched"]) for p in rep["people"]),
            "gold_roles": sum(len(p["roles_gold"]) for p in rep["people"]),
            "people": len(rep["people"]),
            "attributions": len(sp),
            "speaker_correct_end_to_end": sum(s["correct"] for s in sp),
            "speaker_correct_where_extractor_source_right": sum(s["correct"] for s in right_source),
            "extractor_source_right": len(right_source),
            "said_on_correct": sum(bool(s["said_on"]) and s["said_on"][0] == s["said_on_gold"] for s in dated),
            "said_on_gold": len(dated),
            "said_on_wrong": [(s["source_text"], s["said_on"], s["said_on_gold"]) for s in sp
                              if s["said_on"] and s["said_on"][0] != s["said_on_gold"]],
            "dates": rep["dates"],
            "un_figure": [q for q in rep["figures"] if q.get("reported_by") == "United Nations"],
            "speaker_errors": [(s["source_text"], s["gold"], s["predicted"]) for s in sp if not s["correct"]],
            "roles_missed": [(p["name"], sorted(set(p["roles_gold"]) - set(p["roles_matched"]))) for p in rep["people"]
                             if set(p["roles_gold"]) - set(p["roles_matched"])],
        }
    out["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for name in ("articles", "heldout"):
        if name in out:
            s = out[name]
            print(f"{name}: merge precision {s['precision']:.3f}, recall {s['recall']:.3f} "
                  f"({s['correct_pairs']}/{s['predicted_pairs']} predicted pairs, {s['correct_pairs']}/{s['true_pairs']} "
                  f"gold pairs, {s['scored_entities']} labelled entities)")
            for a, b in s["false_merges"]:
                print(f"  false merge: {a} = {b}")
            for a, b in s["missed_merges"]:
                print(f"  missed merge: {a} / {b}")
    if "seed" in out:
        s = out["seed"]
        print(f"seed: people {s['people_found']}/{s['people']} found, {s['people_with_a_gold_role']}/{s['people']} with a "
              f"gold role, {s['gold_roles_matched']}/{s['gold_roles']} gold roles")
        print(f"seed: speaker = gold canonical name {s['speaker_correct_end_to_end']}/{s['attributions']} end to end; "
              f"{s['speaker_correct_where_extractor_source_right']}/{s['extractor_source_right']} where the extractor's "
              f"source is the gold source")
        print(f"seed: said_on {s['said_on_correct']}/{s['said_on_gold']} gold-dated statements; wrong: {s['said_on_wrong']}")
        print(f"seed: dates {json.dumps(s['dates'])}")
        for q in s["un_figure"]:
            print(f"seed: figure {q['text']!r} counts {q['counts']!r} ({q['bound']}) reported by {q['reported_by']}")
        for e in s["speaker_errors"]:
            print(f"  speaker miss: {e}")
        for e in s["roles_missed"]:
            print(f"  role miss: {e}")
    print(f"{out['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
