"""CPU per request of onrecord's three benchmarked pages, in-process: no HTTP server, no network, no load generator.

    python bench/web_cpu_bench.py [--db /tmp/onrecord-web-1m.db] [--requests 150] [--rounds 5]

The load benchmark (bench/web_load_bench.py) measures latency under 50 clients on
a machine it shares with its own load generator; on a busy machine its figures
move with everyone else's work. This one drives the ASGI application that
``onrecord serve`` runs (``onrecord.web.create_app``) directly, one request at a
time, through Datasette's routing, CSRF layer, thread pool and templates, and
reads the process's CPU time: the cost a server core pays per page, which is what
decides requests/s and queueing at 50 clients. Each page kind gets ``--requests``
URLs drawn as web_load_bench draws them (same generator), after a warm-up pass
over other URLs and these; each round measures them all again and the least CPU
of the rounds is reported (the machine's other work only ever adds). Compare two
versions by running it with each one's ``PYTHONPATH``, back to back.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from store_query_bench import Generator  # noqa: E402
from web_load_bench import sample_urls  # noqa: E402


async def get(app, path: str) -> int:
    """One GET through the ASGI application; its status."""
    route, _, query = path.partition("?")
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http", "path": route,
             "raw_path": route.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1:8001")], "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 8001)}
    status = 0

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def measure(app, urls: list[tuple[str, str]], warm: list[tuple[str, str]], rounds: int) -> dict[str, list]:
    for _, url in warm + urls:
        await get(app, url)
    kinds: dict[str, list[str]] = {}
    for kind, url in urls:
        kinds.setdefault(kind, []).append(url)
    out: dict[str, list] = {k: [] for k in kinds}
    for _ in range(rounds):
        for kind, paths in kinds.items():
            started = time.process_time()
            bad = [p for p in paths if await get(app, p) != 200]
            out[kind].append((1000 * (time.process_time() - started) / len(paths), len(paths), len(bad)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="/tmp/onrecord-web-1m.db", help="a store built by bench/web_load_bench.py")
    ap.add_argument("--requests", type=int, default=150, help="URLs per page kind")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=9)
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        raise SystemExit(f"no store at {db}; build it with `python bench/web_load_bench.py --db {db}` first")
    import onrecord
    from onrecord.web import create_app

    urls = sample_urls(db, 3 * args.requests, args.seed, Generator(7))
    warm = sample_urls(db, 3 * args.requests, args.seed + 2, Generator(7))
    results = asyncio.run(measure(create_app(db), urls, warm, args.rounds))
    print(f"onrecord from {Path(onrecord.__file__).parent}; CPU ms per request, least and median of "
          f"{args.rounds} rounds")
    for kind in ("article", "speaker", "claims"):
        rows = sorted(results[kind])
        print(f"{kind:8} {rows[0][0]:.2f} (median {rows[len(rows) // 2][0]:.2f}) over {rows[0][1]} URLs, "
              f"{max(r[2] for r in rows)} not 200")


if __name__ == "__main__":
    main()
