"""Accuracy of the extractor on a PolNeAR split (Exact and Overlap F1, the shared scorer's definitions).

    python bench/accuracy.py ../shared/data/polnear/dev [--strategy rules] [--model PATH] [--record bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _record import record  # noqa: E402

from onrecord import Extractor  # noqa: E402
from onrecord.polnear.evaluate import evaluate_split  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split")
    ap.add_argument("--strategy", default=None)
    ap.add_argument("--model", default=None)
    ap.add_argument("--record", default=None, help="append the result to this markdown file")
    args = ap.parse_args()
    options = {"strategy": args.strategy} if args.strategy else {}
    ex = Extractor(model_path=args.model, **options)
    start = time.time()
    result, table = evaluate_split(Path(args.split), extractor=ex)
    body = f"extractor: `{ex.version}`, {time.time() - start:.0f} s\n\n```\n{table}\n```"
    record(args.record, f"Accuracy on {args.split}", body)


if __name__ == "__main__":
    main()
