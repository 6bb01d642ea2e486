"""How many of a hand-annotated article's attributions the extractor finds, and with the right speaker.

    python bench/seed_eval.py ../shared/data/seed/moscow-talks.gold.json [--strategy rules] [--model PATH]
"""

from __future__ import annotations

import argparse

from onrecord import Extractor
from onrecord.evaluation.seed import check, load_seed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", help="a <name>.gold.json file in the seed format")
    ap.add_argument("--strategy", default=None)
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    text, gold = load_seed(args.gold)
    options = {"strategy": args.strategy} if args.strategy else {}
    ex = Extractor(model_path=args.model, **options)
    report = check(gold, ex.extract(text))
    for m in report.matches:
        mark = "ok " if m.found and m.speaker_right else ("spk" if m.found else "MISS")
        print(f"{mark:4} {m.gold_cue:22} gold={m.gold_speaker!r:30} predicted={m.predicted_speaker!r}")
    print(f"found {report.found}/{report.total}, right speaker {report.speaker_right}/{report.total}")


if __name__ == "__main__":
    main()
