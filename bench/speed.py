"""Speed: words/s of the full extractor and of bare ``nlp.pipe`` of the same base pipeline, same run.

    python bench/speed.py ../shared/data/polnear/dev [--repeat 2] [--no-multi] [--parts] [--model accurate] [--record bench/RESULTS.md]

"Bare" is the base pipeline as spaCy loads it (``load_base(paragraphs=False)``: tok2vec, tagger, parser,
attribute ruler, lemmatizer, NER), run with ``nlp.pipe``; the extractor is ``Extractor().nlp``, the same
components with the paragraph marks before the parser and onrecord's component on top, run the same way.  Its base components are the same models, but its attribute
ruler and lemmatizer are the indexed ones and its dense layers multiply through numpy rather than BLIS
(docs/extractor.md, "Parse"): so its base parse alone is faster than the bare one.

- Steady state: both pipelines loaded and warmed up in this process, pinned to one CPU and one BLAS
  thread; the best of ``--repeat`` runs, by wall clock and by CPU time (on a shared machine the CPU
  time moves less).  Then, unless ``--no-multi``, both with ``n_process=2``.
- Whole process: a fresh ``python`` for each (import, load, parse every text once, exit), on one core,
  timed from outside; the best of ``--repeat``.
- ``--parts``: also the extractor's pipeline without its own component (its base parse alone), against the
  same bare figure, so the component's share shows apart from the base parse's speed-ups.
Peak RSS is the largest resident set of this process and of the whole-process runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _record import record  # noqa: E402


def read_texts(folder: Path) -> list[str]:
    files = sorted((folder / "text" if (folder / "text").is_dir() else folder).glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def timed(nlp, texts, n_process, repeat) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds (this process and its workers) over ``repeat`` runs."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), _cpu()
        for _doc in nlp.pipe(texts, batch_size=16, n_process=n_process):
            pass
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, _cpu() - c0)
    return wall, cpu


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(which: str, folder: str, model: str | None = None) -> None:
    """One whole-process run: import, load, parse every text once."""
    pin_one_core()
    texts = read_texts(Path(folder))
    if which == "bare":
        from onrecord.nlp.pipeline import load_base

        nlp = load_base(paragraphs=False)
    else:
        from onrecord import Extractor

        nlp = Extractor(model_path=model).nlp
    for _doc in nlp.pipe(texts, batch_size=16):
        pass


def whole_process(which: str, folder: str, repeat: int, model: str | None = None) -> tuple[float, float]:
    wall = cpu = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, folder, "--child", which, *(["--model", model] if model else [])],
                       check=True)
        elapsed = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        wall, cpu = min(wall, elapsed), min(cpu, used)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="a folder of .txt files, or a PolNeAR split (its text/ is used)")
    ap.add_argument("--strategy", default=None)
    ap.add_argument("--model", default=None, help="default, accurate or a model file (the extractor's --model)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-multi", action="store_true", help="skip the two-process runs")
    ap.add_argument("--no-whole", action="store_true", help="skip the whole-process runs")
    ap.add_argument("--parts", action="store_true", help="also the extractor's pipeline without its component")
    ap.add_argument("--record", default=None)
    ap.add_argument("--child", choices=("bare", "full"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.folder, args.model)
        return

    pin_one_core()
    from onrecord import Extractor
    from onrecord.nlp.pipeline import load_base

    texts = read_texts(Path(args.folder))
    n_words = sum(len(t.split()) for t in texts)
    options = {"strategy": args.strategy} if args.strategy else {}
    if args.model:
        options["model_path"] = args.model
    full = Extractor(**options).nlp
    bare = load_base(paragraphs=False)
    # Warm up both (first calls allocate).
    list(full.pipe(texts[:3]))
    list(bare.pipe(texts[:3]))
    bare_steady = timed(bare, texts, 1, args.repeat)
    rows = [("1 process, 1 core, steady state", bare_steady, timed(full, texts, 1, args.repeat))]
    if args.parts:
        with full.select_pipes(disable=["onrecord_attributions"]):
            rows.append(("the same, extractor's base parse only (no onrecord component)", bare_steady,
                         timed(full, texts, 1, args.repeat)))
    if not args.no_multi:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
        rows.append(("2 processes, steady state", timed(bare, texts, 2, args.repeat), timed(full, texts, 2, args.repeat)))
        pin_one_core()
    if not args.no_whole and not args.strategy:
        rows.append(("whole process, 1 core (import, load, parse)", whole_process("bare", args.folder, args.repeat),
                     whole_process("full", args.folder, args.repeat, args.model)))
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = [f"{len(texts)} documents, {n_words} words (whitespace-separated); best of {args.repeat} runs", "",
             "| run | bare words/s | onrecord words/s | ratio | bare CPU s | onrecord CPU s | ratio by CPU |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, (bw, bc), (fw, fc) in rows:
        lines.append(f"| {name} | {n_words / bw:,.0f} | {n_words / fw:,.0f} | {bw / fw:.2f} | {bc:.2f} | {fc:.2f} | "
                     f"{bc / fc:.2f} |")
    lines += ["", f"peak RSS: {rss_self:.0f} MB (this process), {rss_kids:.0f} MB (largest worker or whole-process run)"]
    model = f" (--model {args.model})" if args.model else ""
    record(args.record, f"Speed on {args.folder}{model}", "\n".join(lines))


if __name__ == "__main__":
    main()
