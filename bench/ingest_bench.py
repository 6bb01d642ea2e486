"""Ingest throughput against the extractor's own: what the store, reading and checks cost.

    python bench/ingest_bench.py ../shared/data/polnear/train --limit 150 [--record bench/RESULTS.md]

Three timings over the same .txt files, in one process pinned to one core,
the extractor loaded once beforehand (so no run pays the model load):

1. extract only: ``analysis.process_texts`` over the texts already in memory;
2. ingest: ``onrecord.ingest.ingest`` from the folder into a fresh store
   (reading files, checks, dedupe, extraction, one transaction per article);
3. store only: the ProcessedArticles of (1) written by ``store.Writer``.

Runs 1 and 2 alternate ``--repeat`` times and the best of each is kept, so
a noisy shared machine penalises neither.  Target: ingest ≥ 0.9 × extract.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
try:
    from _record import record  # noqa: E402  (the benches' shared "append to RESULTS.md" helper)
except ImportError:  # a checkout without it: print only
    def record(path, title, body):  # noqa: E306
        print(f"### {title}\n\n{body}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="a folder of .txt articles, or a PolNeAR split (its text/ is used)")
    ap.add_argument("--limit", type=int, default=150, help="first N files (sorted by name)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--record", default=None, help="append the result to this markdown file")
    args = ap.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    source = Path(args.folder)
    source = source / "text" if (source / "text").is_dir() else source
    files = sorted(source.glob("*.txt"))[: args.limit]
    work = Path(tempfile.mkdtemp(prefix="onrecord-ingest-bench-"))
    try:
        run(args, files, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, files, work: Path) -> None:
    from onrecord import Extractor
    from onrecord.analysis import ArticleMeta, process_texts
    from onrecord.ingest import ingest
    from onrecord.store import Reader, Writer

    folder = work / "in"
    folder.mkdir()
    for f in files:  # a private copy: exactly these files, nothing else in the folder
        shutil.copyfile(f, folder / f.name)
    items = [(f.read_text(encoding="utf-8"), ArticleMeta(origin=str(f), name=f.stem)) for f in sorted(folder.glob("*.txt"))]
    words = sum(len(t.split()) for t, _ in items)

    extractor = Extractor()
    list(process_texts(extractor, items[:3]))  # warm-up

    extract_best = ingest_best = 0.0
    processed = []
    enricher_errors: set[str] = set()
    for run in range(args.repeat):
        start = time.perf_counter()
        processed = list(process_texts(extractor, items))
        extract_best = max(extract_best, words / (time.perf_counter() - start))

        db = work / f"run{run}.db"
        start = time.perf_counter()
        report = ingest([folder], db=db, extractor=extractor)
        elapsed = time.perf_counter() - start
        with Reader(db) as reader:
            # Articles whose enricher failed are stored too (with the error) and count as failed in the report.
            assert reader.counts()["articles"] == len(items), report
        enricher_errors |= {f"{Path(f.origin).name}: {f.message}" for f in report.failures}
        ingest_best = max(ingest_best, words / elapsed)

    start = time.perf_counter()
    with Writer(work / "store-only.db", enrichers=()) as writer:
        for article in processed:
            writer.write(article)
    store_seconds = time.perf_counter() - start
    attributions = sum(len(a.attributions) for a in processed)

    ratio = ingest_best / extract_best
    lines = [
        f"{len(items)} articles, {words:,} words, {attributions:,} attributions; one core; best of {args.repeat}",
        "",
        "| run | words/s | vs extract |",
        "|---|---:|---:|",
        f"| extract only (process_texts, texts in memory) | {extract_best:,.0f} | 1.00 |",
        f"| ingest (files → checks → extract → store) | {ingest_best:,.0f} | {ratio:.2f} |",
        "",
        f"store only (Writer.write, core tables without enrichers, one transaction per article): {len(items) / store_seconds:,.0f} articles/s, "
        f"{1000 * store_seconds / len(items):.2f} ms per article, "
        f"{100 * store_seconds / (words / extract_best):.1f} % of the extraction time",
        "",
        f"target ingest ≥ 0.9 × extract: {'met' if ratio >= 0.9 else 'NOT met'} ({ratio:.2f})",
    ]
    if enricher_errors:
        lines += ["", "stored with an error (reported as failed by ingest, retried on the next run):"]
        lines += [f"- {e}" for e in sorted(enricher_errors)]
    record(args.record, f"Ingest throughput on {args.folder} (first {args.limit})", "\n".join(lines))


if __name__ == "__main__":
    main()
