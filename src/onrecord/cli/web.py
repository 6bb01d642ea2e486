"""``onrecord serve``: the web pages over a store, thin over :func:`onrecord.web.serve`."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app, err, run_guarded
from .store import _db_option


@app.command()
def serve(
    db: Path = _db_option(),
    port: int = typer.Option(8001, "--port", "-p", help="TCP port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on. The default answers only this machine; 0.0.0.0 answers "
                                  "anyone who can reach it, and they can read the whole store and run SQL on it."),
    workers: int = typer.Option(1, "--workers", "-w", min=1,
                                help="Server processes sharing the port (one per CPU core for heavy use)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No start-up line and no request log; errors only."),
) -> None:
    """Browse and check the record in a web browser, read-only.

    Pages: the article reader (every source, cue and content highlighted, the
    speaker on hover), speaker pages (statements over time, roles, aliases),
    contested claims, the positions matrix, a timeline and search. Datasette's
    tables, facets, SQL and JSON/CSV exports are under /onrecord. The store
    is opened read-only, so it can be served while `onrecord ingest` adds to
    it; pages show new articles as soon as they are committed.

    Examples:

      onrecord serve                                # http://127.0.0.1:8001/ over onrecord.db

      onrecord serve --db news.db --port 8080

      onrecord serve --db news.db --workers 2 -q    # two processes, no request log
    """
    from ..web import check_serve
    from ..web import serve as run_server

    db = run_guarded(check_serve, db, host=host, port=port, workers=workers)
    if not quiet:
        where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
        err.print(f"serving {db} read-only at {where} (Ctrl+C to stop)", highlight=False, markup=False)
        if host not in ("127.0.0.1", "localhost", "::1"):
            err.print(f"warning: {host} is reachable from other machines; anyone there can read the whole store",
                      highlight=False, markup=False)
    run_guarded(run_server, db, host=host, port=port, workers=workers, quiet=quiet)
