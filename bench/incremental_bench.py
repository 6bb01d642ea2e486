"""Adding a few articles to a large store: the incremental finalize against the store's size.

    python bench/incremental_bench.py ../shared/data/polnear/train [--cache /tmp/incremental] [--record bench/RESULTS.md]

Stores of 0, 1,000 and 10,000 articles are built once and cached outside the
repository (``--cache``).  They are made cheaply: the split is parsed once
(``onrecord scale export`` to Parquet shards), and the store holds copies of
those processed articles, each copy with its names changed (a syllable added to
the last word of every entity's name, unnamed sources' too ("the Kremlin
spokesmanov"), and of what roles are of) and its text marked so its id
differs: each copy is news of another world.  Claims are not renamed: their
blocks grow with the store.

Then, on a fresh copy of each store:

1. ``onrecord ingest`` of the same 10 new articles (train texts with a line
   added), timed as a whole process, with its peak RSS;
2. the finalize alone: the same 10 articles, already processed, written by
   ``store.Writer`` and finalized, timed, with the process's peak RSS;
3. ``onrecord rebuild`` on the largest store (the full path), timed;
4. bulk: ``onrecord ingest`` of 1,000 new articles into an empty store and
   into the largest store, as words/s.

Targets (issue 14): (1) at 10,000 ≤ 1.3 × at 0 (wall time, and CPU seconds, which other jobs on a
shared machine do not inflate); (2) ≤ 1 s at 10,000;
(4) into 10,000 ≥ 0.8 × into empty; peak RSS of any finalize ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
try:
    from _record import record  # the benches' shared "append to RESULTS.md" helper
except ImportError:  # a checkout without it: print only
    def record(path, title, body):  # noqa: E306
        print(f"### {title}\n\n{body}")

SYLLABLES = ("ov", "berg", "ski", "ton", "ez", "ini", "ard", "man", "ek", "ley", "wick", "ani", "hof", "sen")
NEW_MARK = "\n\n(Updated with reader comments.)"


def _meta(path: Path) -> dict:
    m = re.match(r"([a-z-]+)_(\d{4}-\d{2}-\d{2})_", path.name)
    return {"outlet": m.group(1), "published": m.group(2)} if m else {}


def _jsonl(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


CPU: dict[tuple[str, ...], float] = {}  # CPU seconds (user + system) of each command run, by its arguments


def _onrecord(*args: str, quiet: bool = True) -> tuple[float, int, str]:
    """Run the onrecord command; (seconds, peak RSS in MB, stderr); its CPU seconds go to ``CPU[args]``."""
    cmd = ["/usr/bin/time", "-f", "%M %U %S", sys.executable, "-m", "onrecord", *args]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seconds = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    last = lines[-1].split() if lines else []
    ok = len(last) == 3 and last[0].isdigit()
    rss = int(last[0]) // 1024 if ok else -1
    CPU[args] = float(last[1]) + float(last[2]) if ok else float("nan")
    if done.returncode not in (0, 1):
        raise SystemExit(f"onrecord {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return seconds, rss, done.stderr


def processed_split(split: Path, cache: Path):
    """The split parsed once: Parquet shards in the cache, read back as ProcessedArticle."""
    from onrecord.engines.shards import part_files, read_shards

    shards = cache / "train-shards"
    if not (shards / "articles").is_dir() or not part_files(shards):
        texts = sorted((split / "text" if (split / "text").is_dir() else split).glob("*.txt"))
        source = _jsonl(cache / "train.jsonl", ({"text": p.read_text("utf-8"), "url": f"https://example.org/{p.stem}",
                                                  "title": p.stem, **_meta(p)} for p in texts))
        print(f"parsing {len(texts)} articles once into {shards} …", flush=True)
        _onrecord("scale", "export", str(source), "-o", str(shards), "--quiet")
    return sorted(read_shards(shards), key=lambda a: a.meta.origin)


def _rename(name: str, syllable: str) -> str:
    words = name.split()
    return " ".join(words[:-1] + [words[-1] + syllable]) if words else name


def copy_of(article, n: int):
    """Copy ``n`` of a processed article: people renamed, text marked, publication shifted n weeks."""
    from datetime import date, timedelta

    from onrecord.analysis import content_id

    if n == 0:
        return article
    syllable = SYLLABLES[(n - 1) % len(SYLLABLES)] + (str((n - 1) // len(SYLLABLES)) if n > len(SYLLABLES) else "")
    text = article.text + f"\n\n(Copy {n}.)"
    enrich = json.loads(json.dumps(article.enrichments))
    ents = (enrich.get("entities") or {}).get("entities") or {}
    for e in ents.get("entities", ()):
        e["name"] = _rename(e["name"], syllable)
        for m in e["mentions"]:
            if m["how"] in ("name", "role"):
                m["text"] = _rename(m["text"], syllable)
        for r in e.get("roles", ()):
            if r.get("of"):
                r["of"] = _rename(r["of"], syllable)
    published = article.meta.published
    if published:
        published = (date.fromisoformat(published[:10]) + timedelta(weeks=n)).isoformat()
        for key in ("entities", "claims"):
            if isinstance(enrich.get(key), dict) and enrich[key].get("published"):
                enrich[key]["published"] = published
    meta = replace(article.meta, published=published, url=f"{article.meta.url}#copy{n}")
    return replace(article, id=content_id(text), text=text, meta=meta, enrichments=enrich)


def build_store(path: Path, base, size: int) -> None:
    from onrecord.store import Writer

    if path.exists() or size == 0:
        return
    tmp = path.with_suffix(".building")
    for p in tmp.parent.glob(tmp.name + "*"):
        p.unlink()
    started = time.perf_counter()
    with Writer(tmp) as writer:  # closing it finalizes: the first finalize of a store is a full rebuild
        for i in range(size):
            writer.write(copy_of(base[i % len(base)], i // len(base)))
    tmp.rename(path)
    print(f"built {path} ({size} articles) in {time.perf_counter() - started:.0f} s", flush=True)


def _fresh(cache: Path, work: Path, size: int) -> Path:
    db = work / f"store-{size}.db"
    for p in work.glob(db.name + "*"):
        p.unlink()
    if size:
        shutil.copyfile(cache / f"store-{size}.db", db)
    return db


def finalize_only(db: str, shards: str) -> None:
    """(Subprocess) write already-processed articles into ``db`` and time the finalize alone."""
    from onrecord.engines.shards import read_shards
    from onrecord.store import Writer

    articles = list(read_shards(shards))
    with Writer(db) as writer:
        for a in articles:
            writer.write(a)
        started, cpu = time.perf_counter(), time.process_time()
        writer.finalize()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": rss, "articles": len(articles)}))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--finalize-only":
        finalize_only(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split", help="a PolNeAR split (its text/ is used) or a folder of .txt files")
    ap.add_argument("--cache", default="/tmp/incremental", help="where stores are built once and kept")
    ap.add_argument("--sizes", default="0,1000,10000")
    ap.add_argument("--bulk", type=int, default=1000, help="articles for the bulk run (0: skip it)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each timing; the best is kept")
    ap.add_argument("--record", default=None, help="append the result to this markdown file")
    args = ap.parse_args()

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    work = cache / "work"
    work.mkdir(exist_ok=True)
    split = Path(args.split)
    sizes = [int(s) for s in args.sizes.split(",")]
    base = processed_split(split, cache)
    for size in sizes:
        build_store(cache / f"store-{size}.db", base, size)

    texts = sorted((split / "text" if (split / "text").is_dir() else split).glob("*.txt"))
    new = [texts[i] for i in range(0, len(texts), max(1, len(texts) // 10))][:10]
    new_rows = [{"text": p.read_text("utf-8") + NEW_MARK, "url": f"https://example.org/new/{p.stem}", **_meta(p)}
                for p in new]
    new_file = _jsonl(cache / "new10.jsonl", new_rows)
    new_shards = cache / "new10-shards"
    if not (new_shards / "articles").is_dir() or not any((new_shards / "articles").iterdir()):
        _onrecord("scale", "export", str(new_file), "-o", str(new_shards), "--quiet")
    words10 = sum(len(r["text"].split()) for r in new_rows)

    # One untimed ingest first: a fresh checkout's first run compiles its modules and reads the model from a cold
    # disk, which would otherwise be charged to whichever store comes first (the empty one).
    warm = _fresh(cache, work, 0)
    _onrecord("ingest", str(new_file), "--db", str(warm), "--quiet")

    rows = []
    for size in sizes:
        best = None
        for _ in range(args.repeat):
            db = _fresh(cache, work, size)
            command = ("ingest", str(new_file), "--db", str(db), "--quiet")
            seconds, rss, _err = _onrecord(*command)
            best = min(best or (seconds, rss, CPU[command]), (seconds, rss, CPU[command]))
        fin = None
        for _ in range(args.repeat):
            db = _fresh(cache, work, size)
            out = subprocess.run([sys.executable, __file__, "--finalize-only", str(db), str(new_shards)],
                                 capture_output=True, text=True, check=True).stdout
            got = json.loads(out.strip().splitlines()[-1])
            fin = min(fin or (got["seconds"], got["rss_mb"], got["cpu"]), (got["seconds"], got["rss_mb"], got["cpu"]))
        rows.append((size, best[0], best[1], fin[0], fin[1], best[2], fin[2]))
        print(f"store {size}: ingest of 10 = {best[0]:.1f} s, {best[2]:.1f} CPU s ({best[1]} MB), finalize = "
              f"{fin[0]:.2f} s, {fin[2]:.2f} CPU s ({fin[1]} MB)", flush=True)
    base_time, base_cpu = rows[0][1], rows[0][5]
    # CPU seconds are what other jobs on a shared machine do not inflate; wall time is shown too.
    table = ["| store (articles) | `onrecord ingest` of 10 new (s) | × store 0 | CPU s (user + sys) | × store 0 (CPU) |"
             " peak RSS (MB) | finalize alone (s) | finalize alone (CPU s) | finalize process peak RSS (MB) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size, seconds, rss, fsec, frss, cpu, fcpu in rows:
        table.append(f"| {size:,} | {seconds:.1f} | {seconds / base_time:.2f} | {cpu:.1f} | {cpu / base_cpu:.2f} | {rss}"
                     f" | {fsec:.3f} | {fcpu:.3f} | {frss} |")
    body = [f"10 new articles ({words10:,} words): PolNeAR train texts with a line added. Stores: copies of the "
            f"{len(base)} parsed train articles, names changed per copy. Best of {args.repeat}.", "", *table]

    largest = max(sizes)
    if largest:
        db = _fresh(cache, work, largest)
        seconds, rss, _ = _onrecord("rebuild", "--db", str(db), "--quiet")
        body += ["", f"Full rebuild (`onrecord rebuild`) of the {largest:,}-article store: {seconds:.1f} s, "
                     f"peak RSS {rss} MB."]
    if args.bulk and largest:
        bulk = [{"text": texts[i % len(texts)].read_text("utf-8") + f"\n\n(Bulk {i}.)",
                 "url": f"https://example.org/bulk/{i}", **_meta(texts[i % len(texts)])} for i in range(args.bulk)]
        bulk_file = _jsonl(cache / "bulk.jsonl", bulk)
        words = sum(len(r["text"].split()) for r in bulk)
        rates = {}
        for size in (0, largest):
            db = _fresh(cache, work, size)
            command = ("ingest", str(bulk_file), "--db", str(db), "--quiet")
            seconds, rss, _ = _onrecord(*command)
            rates[size] = (words / seconds, seconds, rss, words / CPU[command])
        body += ["", f"Bulk `onrecord ingest` of {args.bulk:,} new articles ({words:,} words): into an empty store "
                     f"{rates[0][0]:,.0f} words/s ({rates[0][1]:.0f} s, {rates[0][2]} MB); into the {largest:,}-article "
                     f"store {rates[largest][0]:,.0f} words/s ({rates[largest][1]:.0f} s, {rates[largest][2]} MB): "
                     f"{rates[largest][0] / rates[0][0]:.2f} × (target ≥ 0.8). Per CPU second: {rates[0][3]:,.0f} and "
                     f"{rates[largest][3]:,.0f} words: {rates[largest][3] / rates[0][3]:.2f} ×."]
    record(args.record, "Incremental store (issue 14): adding 10 articles to stores of 0 to 10,000", "\n".join(body))


if __name__ == "__main__":
    main()
