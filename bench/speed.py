"""Speed: words/s of the full extractor and of bare ``nlp.pipe`` of the same base pipeline, same run.

    python bench/speed.py ../shared/data/polnear/dev [--repeat 2] [--record bench/RESULTS.md]

One core: the process pins itself to one CPU and to one BLAS thread before
importing numpy.  Then both pipelines are also run with ``n_process=2``.
Peak RSS is the largest resident set of this process and its workers.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _record import record  # noqa: E402


def words_per_second(nlp, texts, n_words, n_process, repeat):
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=16, n_process=n_process):
            pass
        best = max(best, n_words / (time.perf_counter() - start))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="a folder of .txt files, or a PolNeAR split (its text/ is used)")
    ap.add_argument("--strategy", default=None)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-multi", action="store_true", help="skip the two-process runs")
    ap.add_argument("--record", default=None)
    args = ap.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from onrecord import Extractor
    from onrecord.nlp.pipeline import load_base

    folder = Path(args.folder)
    files = sorted((folder / "text" if (folder / "text").is_dir() else folder).glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    n_words = sum(len(t.split()) for t in texts)
    options = {"strategy": args.strategy} if args.strategy else {}
    full = Extractor(**options).nlp
    bare = load_base()
    # Warm up both (first calls allocate).
    list(full.pipe(texts[:3]))
    list(bare.pipe(texts[:3]))
    rows = []
    bare_1 = words_per_second(bare, texts, n_words, 1, args.repeat)
    full_1 = words_per_second(full, texts, n_words, 1, args.repeat)
    rows.append(("1 process, 1 core", bare_1, full_1))
    if not args.no_multi:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
        bare_2 = words_per_second(bare, texts, n_words, 2, args.repeat)
        full_2 = words_per_second(full, texts, n_words, 2, args.repeat)
        rows.append(("2 processes", bare_2, full_2))
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = [f"{len(texts)} documents, {n_words} words (whitespace-separated); best of {args.repeat} runs", "",
             "| run | bare nlp.pipe words/s | onrecord words/s | ratio |", "|---|---:|---:|---:|"]
    for name, b, f in rows:
        lines.append(f"| {name} | {b:,.0f} | {f:,.0f} | {f / b:.2f} |")
    lines += ["", f"peak RSS: {rss_self:.0f} MB (this process), {rss_kids:.0f} MB (largest worker)"]
    record(args.record, f"Speed on {args.folder}", "\n".join(lines))


if __name__ == "__main__":
    main()
