"""Engines at 1 and 2 workers: local (spaCy processes) and Ray (Ray Data actors), and the capacity plan's inputs.

    python bench/engines_bench.py ../shared/data/polnear/train --limit 500 [--strategy rules] [--record bench/RESULTS.md]

The same N articles (texts already in memory) go through four runs:

1. local engine, 1 worker (``nlp.pipe`` in this process, the pipeline loaded
   beforehand, as a running service has it);
2. local engine, 2 worker processes;
3. Ray engine, 1 actor, on a local Ray cluster with 2 CPUs started beforehand
   (an existing cluster, as ``--address`` joins; its start is not timed);
4. Ray engine, 2 actors.

A Ray run includes everything one job pays: building the Dataset, starting
the actors and loading the pipeline in each.  The time to the first article
shows that start-up cost: Ray's minus the local engine's (which only parses
its first batch) is what Ray adds per job, and from it comes the job size
beyond which Ray's start-up stays under 10 %.  The outputs of the four runs
must be identical (checked).  Then the articles are merged into a fresh store
through the one writer (enrichers included): the step that does not scale out.

Targets: 2 workers ≥ 1.8 × 1 worker for both engines; Ray ≤ 10 % slower than
local at the same worker count.  The machine's load average is printed with
the result: on a shared machine, other work takes cores from the 2-worker runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # the local cluster reports nothing home

import argparse  # noqa: E402
import math  # noqa: E402
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


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def own_cpu() -> float:
    """CPU seconds of this process and its reaped children (the local engine's worker processes)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def process_cpu(pid: int) -> float | None:
    """CPU seconds a live process has used so far (Ray actors are not our children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="a folder of .txt articles, or a PolNeAR split (its text/ is used)")
    ap.add_argument("--limit", type=int, default=300, help="first N files (sorted by name)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--strategy", default=None, help="extraction strategy (model or rules; default: the project's)")
    ap.add_argument("--articles-per-day", type=int, default=1_000_000, help="for the capacity plan")
    ap.add_argument("--record", default=None, help="append the result to this markdown file")
    args = ap.parse_args()

    import ray

    from onrecord import Extractor
    from onrecord.analysis import ArticleMeta
    from onrecord.engines.local import LocalEngine
    from onrecord.engines.ray_engine import RayEngine
    from onrecord.engines.shards import ShardWriter, merge_shards

    source = Path(args.folder)
    source = source / "text" if (source / "text").is_dir() else source
    files = sorted(source.glob("*.txt"))[: args.limit]
    items = [(f.read_text(encoding="utf-8"), ArticleMeta(origin=str(f), name=f.stem)) for f in files]
    words = sum(len(t.split()) for t, _ in items)
    load_before = load()

    extractor = Extractor(**({"strategy": args.strategy} if args.strategy else {}))
    list(LocalEngine(extractor).process(items[:3]))  # warm-up

    timings: dict[tuple[str, int], float] = {}
    to_first: dict[tuple[str, int], float] = {}
    cpu: dict[tuple[str, int], float] = {}
    outputs = {}

    def timed(key, engine) -> None:
        out = []
        actors: dict[int, float] = {}  # Ray actor pid → CPU seconds, sampled as results arrive
        cpu_before = own_cpu()
        start = time.perf_counter()
        for processed in engine.process(items):
            if not out:
                to_first[key] = time.perf_counter() - start
            out.append(processed)
            for worker in getattr(engine, "worker_articles", {}):
                used = process_cpu(int(worker.rsplit(":", 1)[1]))
                if used is not None:
                    actors[worker] = max(actors.get(worker, 0.0), used)
        outputs[key], timings[key] = out, time.perf_counter() - start
        if key[0] == "local":
            engine.close()  # reaps the worker processes, so their CPU time is counted
        cpu[key] = own_cpu() - cpu_before + sum(actors.values())
        print(f"{key}: {timings[key]:.1f} s, first article after {to_first[key]:.1f} s, {cpu[key]:.1f} CPU s "
              f"(load {load()})", flush=True)

    for n in (1, 2):
        timed(("local", n), LocalEngine(extractor, n_process=n, batch_size=args.batch_size))
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    workers = {}
    for n in (1, 2):
        engine = RayEngine(extractor, workers=n, batch_size=args.batch_size)
        timed(("ray", n), engine)
        workers[n] = sorted(engine.worker_articles.values(), reverse=True)
    ray.shutdown()
    reference = outputs[("local", 1)]
    same = all(out == reference for out in outputs.values())

    work = Path(tempfile.mkdtemp(prefix="onrecord-engines-bench-"))
    try:
        with ShardWriter(work / "shards") as shards:
            for article in reference:
                shards.add(article)
        start = time.perf_counter()
        merged = merge_shards(work / "shards", work / "merged.db")
        merge_seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rate = {k: words / t for k, t in timings.items()}
    speedup = {e: timings[(e, 1)] / timings[(e, 2)] for e in ("local", "ray")}
    # Steady state: the rate once the first article is out (a long job or a running service pays start-up once).
    steady = {k: words * (len(items) - 1) / len(items) / (timings[k] - to_first[k]) for k in timings}
    steady_speedup = {e: steady[(e, 2)] / steady[(e, 1)] for e in ("local", "ray")}
    steady_overhead = {n: steady[("local", n)] / steady[("ray", n)] - 1 for n in (1, 2)}
    overhead = {n: timings[("ray", n)] / timings[("local", n)] - 1 for n in (1, 2)}
    startup = {n: max(0.0, to_first[("ray", n)] - to_first[("local", n)]) for n in (1, 2)}
    # CPU cost of a word at 2 workers against 1: what a second worker adds in work, whatever else the machine runs.
    cpu_efficiency = {e: cpu[(e, 1)] / cpu[(e, 2)] for e in ("local", "ray")}
    # Ray's start-up stays within 10 % of a 2-worker job from this many words on (at the 2-worker local rate).
    break_even_words = startup[2] / 0.10 * rate[("local", 2)]
    words_per_article = words / len(items)
    per_core = rate[("local", 1)]
    needed = args.articles_per_day * words_per_article / 86_400
    efficiency = min(1.0, speedup["local"] / 2)
    cores = needed / (per_core * efficiency)

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        f"extractor `{extractor.version}`",
        "",
        f"{len(items)} articles, {words:,} words ({words_per_article:.0f} per article), batch size {args.batch_size}; "
        f"load average before {load_before}, after {load()} (1, 5, 15 min)",
        "",
        "| engine | workers | seconds | words/s | vs 1 worker | time vs local | first article after (s) "
        "| steady words/s | CPU s | words per CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in ("local", "ray"):
        for n in (1, 2):
            vs1 = "1.00" if n == 1 else f"{speedup[e]:.2f}"
            lines.append(f"| {e} | {n} | {timings[(e, n)]:.1f} | {rate[(e, n)]:,.0f} | {vs1} | "
                         f"{timings[(e, n)] / timings[('local', n)]:.2f} | {to_first[(e, n)]:.1f} | "
                         f"{steady[(e, n)]:,.0f} | {cpu[(e, n)]:.1f} | {words / cpu[(e, n)]:,.0f} |")
    lines += [
        "",
        f"Articles per Ray actor: {workers[1]} with 1, {workers[2]} with 2. Ray's start-up per job (Dataset, actors, "
        f"pipeline load in each; first article minus the local engine's): {startup[1]:.1f} s with 1 worker, "
        f"{startup[2]:.1f} s with 2. With 2 workers it stays under 10 % of a job from about "
        f"{break_even_words:,.0f} words ({break_even_words / words_per_article:,.0f} such articles) on; "
        f"a Ray window is 4,096 articles.",
        f"CPU per word at 2 workers against 1 (1.00: the second worker adds no work; with two free cores the "
        f"speed-up would approach 2 × this): local {cpu_efficiency['local']:.2f}, ray {cpu_efficiency['ray']:.2f}. "
        f"CPU s: this process, its reaped children and the Ray actors (sampled as results arrive).",
        f"Outputs of the four runs identical: {'yes' if same else 'NO'}.",
        f"Merge through the one writer (enrichers on, finalize included): {merged.stored} articles in "
        f"{merge_seconds:.1f} s = {merged.stored / merge_seconds:,.0f} articles/s "
        f"({args.articles_per_day / 86_400:.1f}/s needed for {args.articles_per_day:,} a day).",
        "",
        f"- 2 workers ≥ 1.8 × 1 worker, local: {verdict(speedup['local'] >= 1.8)} ({speedup['local']:.2f})",
        f"- 2 workers ≥ 1.8 × 1 worker, ray: {verdict(speedup['ray'] >= 1.8)} ({speedup['ray']:.2f})",
        f"- Ray ≤ 10 % over local, same workers: 1 worker {verdict(overhead[1] <= 0.10)} "
        f"({100 * overhead[1]:+.0f} %), 2 workers {verdict(overhead[2] <= 0.10)} ({100 * overhead[2]:+.0f} %)",
        f"- the same in steady state (after the first article): 2 workers vs 1, local {steady_speedup['local']:.2f}, "
        f"ray {steady_speedup['ray']:.2f}; Ray over local {100 * steady_overhead[1]:+.0f} % with 1 worker, "
        f"{100 * steady_overhead[2]:+.0f} % with 2",
        "",
        f"Capacity: {per_core:,.0f} words/s per core (local, 1 worker); {args.articles_per_day:,} articles a day of "
        f"{words_per_article:.0f} words need {needed:,.0f} words/s on average, i.e. {cores:.1f} cores at the "
        f"measured 2-worker efficiency ({efficiency:.2f}); {math.ceil(cores * 3)} cores to absorb a 3 × peak hour.",
    ]
    record(args.record, f"Engines: local and Ray at 1 and 2 workers ({args.folder}, first {args.limit})",
           "\n".join(lines))
    if not same:
        sys.exit("the engines' outputs differ")


if __name__ == "__main__":
    main()
