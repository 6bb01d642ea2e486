"""Time and peak RSS of one long article, by size (issue 15 item 4): is extraction linear?

    python bench/hostile_bench.py                       # 10 KB, 100 KB, 1 MB; prints a Markdown table
    python bench/hostile_bench.py --sizes 20000 40000 --kind brackets --limit 600

Each size runs in a fresh process (so its peak RSS is its own) over an invented,
news-shaped article (``--kind news``) or a bracket-only text (``--kind
brackets``, the worst case the issue found), through the same steps as
``onrecord ingest``: every pipeline component in turn (for an article longer
than one window (``onrecord.nlp.windows``), the base pipeline window by window
as one step, then onrecord's component over the joined Doc), then every
enricher's ``analyse``.  Each step's CPU seconds are printed (CPU time, not wall time, so
that other work on a shared machine disturbs the figures less), and the step
that grows faster than the text shows itself.  Wall seconds include loading the
pipeline.  A size that runs past ``--limit`` seconds is reported as such.
Like the ``onrecord`` command, the child limits BLAS to one thread: the
taggers multiply small matrices, and on a busy machine OpenBLAS threads spin
for the cores (onrecord's component over a 50 KB article took 47 CPU s with
them and 1.1 CPU s without).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PEOPLE = [("Mayor", "Helen Okafor"), ("Councillor", "Tomas Lindqvist"), ("Minister", "Ivo Petrov"),
          ("Director", "Ingrid Solheim"), ("Ambassador", "Paulo Amani"), ("Senator", "Rosa Lindgren")]
THINGS = ["harbour", "bridge", "tram line", "school", "hospital wing", "flood barrier", "budget", "tunnel"]


def article(size: int, kind: str) -> str:
    """An invented article of about ``size`` UTF-8 bytes, in paragraphs of a few sentences."""
    if kind == "brackets":
        unit = "[" * 40 + "]" * 40 + " "
        return (unit * (size // len(unit) + 1))[:size]
    paragraphs, total, i = [], 0, 0
    while total < size:
        (t1, p1), (t2, p2) = PEOPLE[i % 6], PEOPLE[(i * 5 + 1) % 6]
        thing = THINGS[i % 8]
        para = (f"\u201cThe {thing} will be ready by spring,\u201d {t1} {p1} said on Tuesday, adding that "
                f"{i * 7 % 90 + 3} workers were on site. {p2.split()[-1]} disputed that, saying the {thing} plan "
                f"had run {i % 17 + 2} percent over its budget. According to the audit office, case {i} is "
                f"still open, and {t2.lower()} {p2} told reporters the council would vote again.")
        paragraphs.append(para)
        total += len(para.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(paragraphs)[:size]


CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from threadpoolctl import threadpool_limits
from onrecord import Extractor
from onrecord.analysis import ArticleMeta, load_enrichers
text = open(sys.argv[1], encoding="utf-8").read()
from onrecord.nlp import windows
ex = Extractor()
threadpool_limits(1)  # as the onrecord command runs (cli.main), once numpy's BLAS is loaded
steps = {}
c0 = time.process_time()
if windows.needs_windows(text):  # as Extractor.parse does it: the base pipeline window by window
    doc = windows.parse_base(ex.nlp, text)
    steps["parse (windows)"] = time.process_time() - c0
    pipes = windows.later_pipes(ex.nlp)
else:
    doc = ex.nlp.make_doc(text)
    pipes = ex.nlp.pipeline
for name, proc in pipes:
    t = time.process_time()
    doc = proc(doc)
    steps[name] = time.process_time() - t
meta = ArticleMeta(origin="bench")
for enricher in load_enrichers():
    t = time.process_time()
    enricher.analyse(doc, meta, doc._.attributions)
    steps["enricher:" + enricher.name] = time.process_time() - t
print(json.dumps({"steps": steps, "cpu": time.process_time() - c0, "tokens": len(doc),
                  "attributions": len(doc._.attributions),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(size: int, kind: str, limit: float, scratch: Path) -> dict:
    path = scratch / f"article-{kind}-{size}.txt"
    path.write_text(article(size, kind), encoding="utf-8")
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                              timeout=limit, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"size": size, "kind": kind, "finished": False, "seconds": limit}
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        return {"size": size, "kind": kind, "finished": False, "seconds": seconds,
                "error": proc.stderr.strip().splitlines()[-1:]}
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"size": size, "kind": kind, "finished": True, "seconds": seconds, **data}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--kind", choices=["news", "brackets"], default="news")
    parser.add_argument("--limit", type=float, default=1800.0, help="seconds one size may take")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/onrecord-hostile-bench"))
    parser.add_argument("--json", action="store_true", help="one JSON object per size instead of a table")
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    print(f"# {platform.node()} · {platform.processor() or platform.machine()} · "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    if not args.json:
        print("| kind | bytes | tokens | wall s | CPU s (extraction) | CPU s per 10k tokens | peak RSS MB |"
              " slowest steps (CPU s) |")
        print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        r = run(size, args.kind, args.limit, args.scratch)
        if args.json:
            print(json.dumps(r))
        elif not r["finished"]:
            print(f"| {args.kind} | {size:,} | — | > {r['seconds']:.0f} (not finished) | — | — | — | "
                  f"{r.get('error', '')} |")
        else:
            steps = sorted(r["steps"].items(), key=lambda kv: -kv[1])[:3]
            per = r["cpu"] / max(r["tokens"], 1) * 10_000
            print(f"| {args.kind} | {size:,} | {r['tokens']:,} | {r['seconds']:.1f} | {r['cpu']:.1f} | {per:.1f} | "
                  f"{r['peak_rss_mb']:.0f} | {', '.join(f'{k} {v:.1f}' for k, v in steps)} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
