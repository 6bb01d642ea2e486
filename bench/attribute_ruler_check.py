"""The indexed attribute ruler against spaCy's, on a folder of texts: same Docs byte for byte, and CPU seconds.

    python bench/attribute_ruler_check.py ../shared/data/polnear/train [--limit 300] [--record bench/RESULTS.md]

Both rulers rewrite copies of the same parses (tok2vec, tagger, parser); the documents must come out
identical (``Doc.to_bytes``), and the match lists too.  One core, one BLAS thread.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _record import record  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="a folder of .txt files, or a PolNeAR split (its text/ is used)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--record", default=None)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from onrecord.nlp.attributes import IndexedMatch
    from onrecord.nlp.pipeline import load_base

    folder = Path(args.folder)
    files = sorted((folder / "text" if (folder / "text").is_dir() else folder).glob("*.txt"))
    files = files[: args.limit] if args.limit else files
    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = load_base()
    ruler = nlp.get_pipe("attribute_ruler")
    indexed = IndexedMatch(ruler)
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        parsed = list(nlp.pipe(texts))
    stock, fast = [d.copy() for d in parsed], [d.copy() for d in parsed]
    start = time.process_time()
    for doc in stock:
        ruler(doc)
    spacy_s = time.process_time() - start
    start = time.process_time()
    for doc in fast:
        indexed.apply(doc)
    first_s = time.process_time() - start
    again = [d.copy() for d in parsed]
    start = time.process_time()
    for doc in again:
        indexed.apply(doc)
    again_s = time.process_time() - start
    same_matches = [ruler.match(d) for d in parsed] == [indexed(d) for d in parsed]
    differ = sum(a.to_bytes() != b.to_bytes() or a.to_bytes() != c.to_bytes() for a, b, c in zip(stock, fast, again))
    n_tokens = sum(len(d) for d in parsed)
    body = (f"{len(texts)} documents, {n_tokens:,} tokens; match lists identical: {same_matches}; "
            f"documents that differ after the ruler: {differ}\n\n"
            "| ruler | CPU s |\n|---|---:|\n"
            f"| spaCy AttributeRuler | {spacy_s:.2f} |\n| indexed, first pass (memo filling) | {first_s:.2f} |\n"
            f"| indexed, second pass | {again_s:.2f} |")
    record(args.record, f"Attribute ruler check on {args.folder}", body)
    if differ or not same_matches:
        sys.exit(1)


if __name__ == "__main__":
    main()
