"""Web pages under load: 50 concurrent clients on loopback against a store of a million attributions.

    python bench/web_load_bench.py [--db /tmp/onrecord-web-1m.db] [--clients 50] [--requests 1500]
                                   [--workers 2] [--record bench/RESULTS.md]

The store comes from bench/store_query_bench.py's generator (imported, built
through the real ``store.Writer``; reused while it has enough rows).  That
generator writes the core tables only, so this script then derives, in SQL and
once, what ingest's entities and claims features would have written for it:
one canonical PERSON entity per speaker name with its statement links, 20,000
claims (60 % contested, 2–12 statements each, pointing at real statement spans)
and 300 proposals with positions and evidence.  No real article text is used.

Then ``onrecord serve --workers N --quiet`` runs in its own process group, and
``--clients`` asyncio clients (httpx, keep-alive) on loopback send a shuffled
mix of three pages, one request at a time each, as fast as answers come:

* article reader ``/article/ID`` for articles drawn uniformly;
* speaker page ``/speaker/ENTITY`` (page 1, one in five a deeper page) for
  speakers drawn half by how often they speak, half uniformly;
* claims board ``/claims`` (contested first; pages 1–20, a third by kind, a
  fifth with uncontested ones, one in ten filtered by a word).

A warm-up round with a different sample runs first (a running service is warm:
its page cache and the server's per-generation figures); its latencies are
reported too, as "first requests".  Latency is measured by the client from
sending the request to reading the whole body, so it includes queueing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from store_query_bench import Generator, build  # noqa: E402  (the store bench's generator, reused)

try:
    from _record import record  # noqa: E402
except ImportError:  # a checkout without the shared helper: print only
    def record(path, title, body):  # noqa: E306
        print(f"### {title}\n\n{body}")

KINDS = ("control", "casualties", "prisoners", "accusation", "authorship", "progress")
STANCES = ("support", "oppose", "reject", "mixed", "seek revision", "counter-proposal")


def slug(name: str) -> str:
    return "person:" + "-".join(name.lower().split())


def derive_features(db: Path, seed: int) -> str:
    """Entities and claims rows for a store that has only the core tables (once; skipped when present)."""
    from onrecord.entities.names import skeleton
    from onrecord.entities.schema import STATEMENTS_SELECT
    from onrecord.store.connection import open_writer

    conn = open_writer(db)
    try:
        if conn.execute("SELECT count(*) FROM entities").fetchone()[0]:
            return "entities and claims already derived"
        started = time.perf_counter()
        rng = random.Random(seed)
        conn.execute("BEGIN IMMEDIATE")
        conn.create_function("slug", 1, slug, deterministic=True)
        # Per article: one local entity per speaker, each statement linked to it, each local to its entity.
        conn.execute("INSERT INTO entity_locals(article_id, local, type, name)"
                     " SELECT DISTINCT article_id, speaker_id, 'PERSON', speaker_name FROM attributions")
        conn.execute("INSERT INTO entity_speakers(article_id, idx, local, via)"
                     " SELECT article_id, idx, speaker_id, 'name' FROM attributions")
        conn.execute("INSERT INTO entity_members(article_id, local, entity_id)"
                     " SELECT article_id, local, slug(name) FROM entity_locals")
        conn.execute(
            "INSERT INTO entities(id, name, type, statements, articles, aliases, roles, evidence)"
            " SELECT slug(s.name), s.name, 'PERSON', count(*), count(DISTINCT a.article_id), '[]',"
            " json_array(json_object('role', 'spokesperson', 'title', 'spokesperson', 'of', NULL,"
            "   'first_seen', min(a.day), 'last_seen', max(a.day), 'articles', count(DISTINCT a.article_id))), '[]'"
            " FROM attributions a JOIN speakers s ON s.id = a.speaker_id GROUP BY s.id")
        conn.execute(f"INSERT INTO entity_statements(entity_id, day, pk, article_id) {STATEMENTS_SELECT}")
        names = conn.execute("SELECT id, name FROM entities").fetchall()
        conn.executemany("INSERT INTO entity_names(key, name, entity_id) VALUES (?, ?, ?)",
                         [(skeleton(n), n, eid) for eid, n in names])
        # Claims: statements point at real spans of real statements, so evidence links open real sentences.
        top = conn.execute("SELECT max(pk) FROM attributions").fetchone()[0]
        people = [n for _, n in names]
        gen = Generator(seed)
        claims, statements = [], []
        for c in range(20_000):
            kind = rng.choice(KINDS)
            target = gen.words[rng.randint(200, 8000)].capitalize()
            holder = rng.choice(people)
            k = rng.randint(2, 12)
            contested = rng.random() < 0.6
            rows = []
            for o in range(k):
                pk = rng.randint(1, top)
                aid, start, end, text, day = conn.execute(
                    "SELECT article_id, start, end, content_text, day FROM attributions WHERE pk = ?", (pk,)).fetchone()
                side = "disputed" if contested and o % 3 == 2 else "asserted"
                rows.append((rng.choice(people), side, rng.choice(("said", "denied", "claimed")), aid, start, end,
                             text, day, f"Outlet {rng.randint(1, 40)}"))
            rows.sort(key=lambda r: r[7] or "")
            cid = f"c{c:06d}"
            asserted = sorted({r[0] for r in rows if r[1] == "asserted"})
            disputed = sorted({r[0] for r in rows if r[1] == "disputed"})
            days = [r[7] for r in rows if r[7]]
            claims.append((cid, kind, target, holder, f"{kind} of {target}", f"{holder} controls {target}", None,
                           int(bool(asserted and disputed)), json.dumps(asserted), json.dumps(disputed),
                           min(days) if days else None,
                           min((r[7] for r in rows if r[1] == "disputed" and r[7]), default=None), k))
            statements += [(cid, o, *r) for o, r in enumerate(rows)]
        conn.executemany("INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", claims)
        conn.executemany("INSERT INTO claim_statements VALUES (?,?,?,?,?,?,?,?,?,?,?)", statements)
        positions, evidence = [], []
        for p in range(300):
            key = f"plan {p}"
            conn.execute("INSERT INTO proposals VALUES (?, ?, 'plan', NULL, ?)", (key, f"Plan {p}", rng.randint(1, 400)))
            for party in rng.sample(people[:500], rng.randint(5, 40)):
                pid = f"p{p:03d}-{slug(party)}"
                stance = rng.choice(STANCES)
                positions.append((pid, party, f"Plan {p}", key, stance, json.dumps([stance]), None, None))
                for o in range(rng.randint(1, 3)):
                    aid, start, end, text, day = conn.execute(
                        "SELECT article_id, start, end, content_text, day FROM attributions WHERE pk = ?",
                        (rng.randint(1, top),)).fetchone()
                    evidence.append((pid, o, stance, aid, start, end, text, day, None))
        conn.executemany("INSERT INTO positions VALUES (?,?,?,?,?,?,?,?)", positions)
        conn.executemany("INSERT INTO position_evidence VALUES (?,?,?,?,?,?,?,?,?)", evidence)
        conn.execute("COMMIT")
        return (f"derived {len(names):,} entities, {len(claims):,} claims with {len(statements):,} statements, "
                f"{len(positions):,} positions in {time.perf_counter() - started:,.0f} s")
    finally:
        conn.close()


def sample_urls(db: Path, n: int, seed: int, gen: Generator) -> list[tuple[str, str]]:
    import sqlite3

    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    counts = dict(conn.execute("SELECT id, statements FROM entities"))
    words = [w for w in gen.words[200:8000]]
    conn.close()
    third = n // 3
    urls = [("article", f"/article/{rng.choice(ids)}") for _ in range(third)]
    for i in range(third):
        name = (rng.choices(gen.speakers, cum_weights=gen.speaker_cum)[0] if i % 2 == 0
                else rng.choice(gen.speakers))
        eid = slug(name)
        pages = max(1, -(-counts.get(eid, 1) // 50))
        page = rng.randint(2, pages) if pages > 1 and rng.random() < 0.2 else 1
        urls.append(("speaker", f"/speaker/{eid.replace(':', '%3A')}" + (f"?page={page}" if page > 1 else "")))
    for _ in range(n - 2 * third):
        params = [f"page={rng.randint(1, 20)}"]
        if rng.random() < 1 / 3:
            params.append(f"kind={rng.choice(KINDS)}")
        if rng.random() < 0.2:
            params.append("all=1")
        if rng.random() < 0.1:
            params.append(f"about={rng.choice(words).capitalize()}")
        urls.append(("claims", "/claims?" + "&".join(params)))
    rng.shuffle(urls)
    return urls


async def load(base: str, urls: list[tuple[str, str]], clients: int) -> tuple[dict[str, list[float]], int, float]:
    import httpx

    queue: asyncio.Queue = asyncio.Queue()
    for item in urls:
        queue.put_nowait(item)
    times: dict[str, list[float]] = {}
    errors = 0

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while True:
            try:
                kind, url = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            r = await http.get(url)
            times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return times, errors, elapsed


WRK_SCRIPT = """
local paths = {%s}
local i = 0
function setup(thread)
  thread:set("offset", math.random(1, #paths))
end
function init(args)
  i = tonumber(offset) or 0
end
function request()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def wrk_load(base: str, paths: list[str], clients: int, seconds: int, work: Path) -> dict[str, float] | None:
    """One page kind under ``clients`` keep-alive connections from wrk (a C load generator, so the
    client's own cost stays out of the figures); None when wrk is not installed."""
    import re
    import shutil

    if shutil.which("wrk") is None:
        return None
    script = work / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script), base],
                         capture_output=True, text=True, check=True).stdout

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    got = {q: ms(re.search(rf"^\s+{q}%\s+(\S+)", out, re.M).group(1)) for q in ("50", "90", "99")}
    got["max"] = ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1))
    got["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    got["errors"] = float(errors.group(1)) if errors else 0.0
    return got


def server_cpu(pgid: int) -> dict[int, float]:
    """CPU seconds used so far by each process of the server's process group (Linux /proc; empty elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    out = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            out[int(proc.name)] = (int(fields[11]) + int(fields[12])) / tick
    return out


def cpu_split(before: dict[int, float], after: dict[int, float], requests: float) -> tuple[float, str]:
    """Server CPU ms per request over a run, and each busy process's share of it (the workers' balance)."""
    used = sorted((after[p] - before.get(p, 0.0) for p in after), reverse=True)
    total = sum(used)
    if not total or not requests:
        return 0.0, "?"
    return 1000 * total / requests, "/".join(f"{100 * u / total:.0f}" for u in used if u >= 0.01 * total)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def table(times: dict[str, list[float]]) -> list[str]:
    lines = ["| page | requests | median | p95 | p99 | max |", "|---|---:|---:|---:|---:|---:|"]
    for kind in ("article", "speaker", "claims"):
        v = times.get(kind, [])
        if v:
            lines.append(f"| {kind} | {len(v)} | {statistics.median(v):.1f} | {pct(v, 0.95):.1f} | "
                         f"{pct(v, 0.99):.1f} | {max(v):.1f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="/tmp/onrecord-web-1m.db")
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--per-article", type=int, default=20)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=1500, help="measured requests, split evenly over the pages")
    ap.add_argument("--warmup", type=int, default=600)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--wrk", type=int, default=20, metavar="SECONDS",
                    help="also load each page kind with wrk for this long, if wrk is installed (0: skip)")
    ap.add_argument("--record", default=None)
    args = ap.parse_args()

    from onrecord.store import Reader

    db = Path(args.db)
    wanted = args.articles * args.per_article
    have = 0
    if db.exists():
        with Reader(db) as r:
            have = r.counts()["attributions"]
    build_note = "reused an existing store"
    if have < wanted:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        seconds = build(db, args.articles, args.per_article, args.seed)
        build_note = f"built in {seconds:,.0f} s with store_query_bench's generator"
    derive_note = derive_features(db, args.seed)
    with Reader(db) as r:
        counts = r.counts()

    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    gen = Generator(args.seed)
    warm = sample_urls(db, args.warmup, args.seed + 1, gen)
    measured = sample_urls(db, args.requests, args.seed + 2, gen)
    server = subprocess.Popen(
        [sys.executable, "-m", "onrecord", "serve", "--db", str(db), "--port", str(args.port),
         "--workers", str(args.workers), "--quiet"], start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    try:
        import httpx

        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/speakers", timeout=60).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        warm_times, warm_errors, warm_s = asyncio.run(load(base, warm, args.clients))
        times, errors, elapsed = asyncio.run(load(base, measured, args.clients))
        # The same load on Datasette's smallest page: what the machine, the server stack and the client
        # cost before any onrecord work, to read the figures above against.
        # One client alone: each page's own latency, without 49 others queued in front of it.
        alone, _, _ = asyncio.run(load(base, measured[:300], 1))
        floor = [("floor", "/-/versions.json")] * (args.requests // 3)
        floor_times, _, floor_s = asyncio.run(load(base, floor, args.clients))
        wrk_results = {}
        if args.wrk:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                for kind in ("article", "speaker", "claims"):
                    paths = [url for k, url in measured + warm if k == kind]
                    before = server_cpu(server.pid)
                    wrk_results[kind] = got = wrk_load(base, paths, args.clients, args.wrk, Path(tmp))
                    if got:
                        got["cpu"], got["split"] = cpu_split(before, server_cpu(server.pid), got["rps"] * args.wrk)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    total = sum(len(v) for v in times.values())
    worst = max(pct(times[k], 0.99) for k in times)
    wrk_lines = []
    if wrk_results and all(wrk_results.values()):
        wrk_worst = max(r["99"] for r in wrk_results.values())
        wrk_lines = [
            "",
            f"{args.clients} concurrent keep-alive clients from wrk (C; `wrk -t2 -c{args.clients} "
            f"-d{args.wrk}s --latency`, one page kind at a time over the URLs of the rounds below, after them), "
            "so the load generator's own cost stays out of the server's figures; ms",
            "",
            "| page | requests/s | median | p90 | p99 | max | errors | server CPU ms/request | CPU split over processes (%) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
            *[f"| {k} | {r['rps']:,.0f} | {r['50']:.1f} | {r['90']:.1f} | {r['99']:.1f} | {r['max']:.1f} | "
              f"{r['errors']:.0f} | {r['cpu']:.2f} | {r['split']} |" for k, r in wrk_results.items()],
            "",
            "target p99 < 200 ms with wrk's clients: " + ("met" if wrk_worst < 200 else "NOT met")
            + f" (worst p99 {wrk_worst:.1f} ms)",
        ]
    lines = [
        f"store: {counts['articles']:,} articles, {counts['attributions']:,} attributions, "
        f"{counts['speakers']:,} speakers; {build_note}; {derive_note}",
        f"server: `onrecord serve --workers {args.workers} --quiet` (uvicorn, Datasette {_version()}); "
        f"load average before the run: {load_before}",
        *wrk_lines,
        "",
        f"The same mix from {args.clients} Python clients (httpx, asyncio, one process on the same machine). "
        "That client saturates before the server does: the calibration line shows it on a page with no "
        "onrecord code at all, so these figures measure the client more than the pages.",
        "",
        f"measured: {total} requests in {elapsed:.1f} s ({total / elapsed:,.0f} requests/s), {errors} errors; ms",
        "",
        *table(times),
        "",
        f"first requests (warm-up round, other URLs, cold caches): {sum(len(v) for v in warm_times.values())} "
        f"requests in {warm_s:.1f} s, {warm_errors} errors; ms",
        "",
        *table(warm_times),
        "",
        "one client alone (the first 300 measured URLs again, one at a time); ms",
        "",
        *table(alone),
        "",
        f"calibration, same clients on Datasette's own /-/versions.json (no onrecord code, no SQL): "
        f"{len(floor_times['floor'])} requests at {len(floor_times['floor']) / floor_s:,.0f} requests/s, median "
        f"{statistics.median(floor_times['floor']):.1f} ms, p99 {pct(floor_times['floor'], 0.99):.1f} ms",
        "",
        "p99 < 200 ms with the Python clients: " + ("met" if worst < 200 else "not met")
        + f" (worst p99 {worst:.1f} ms)",
    ]
    record(args.record, f"Web pages under load, {counts['attributions']:,} attributions", "\n".join(lines))


def _version() -> str:
    import datasette.version

    return datasette.version.__version__


if __name__ == "__main__":
    main()
