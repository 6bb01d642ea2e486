"""How many of a hand-annotated article's attributions the extractor finds, and with the right speaker.

    python bench/seed_eval.py ../shared/data/seed/moscow-talks.gold.json [--strategy rules] [--model PATH]
                              [--record bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _record import record  # noqa: E402

from onrecord import Extractor
from onrecord.evaluation.seed import check, load_seed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", help="a <name>.gold.json file in the seed format")
    ap.add_argument("--strategy", default=None)
    ap.add_argument("--model", default=None)
    ap.add_argument("--record", default=None, help="append the result to this markdown file")
    args = ap.parse_args()
    text, gold = load_seed(args.gold)
    options = {"strategy": args.strategy} if args.strategy else {}
    ex = Extractor(model_path=args.model, **options)
    report = check(gold, ex.extract(text))
    lines = []
    for m in report.matches:
        mark = "ok " if m.found and m.speaker_right else ("spk" if m.found else "MISS")
        lines.append(f"{mark:4} {m.gold_cue:22} gold={m.gold_speaker!r:30} predicted={m.predicted_speaker!r}")
    summary = f"found {report.found}/{report.total}, right speaker {report.speaker_right}/{report.total}"
    body = f"extractor: `{ex.version}`\n\n**{summary}**\n\n```\n" + "\n".join(lines) + "\n```"
    record(args.record, f"Example article {Path(args.gold).name}", body)


if __name__ == "__main__":
    main()
