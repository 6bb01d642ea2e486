"""``onrecord serve``: the web pages over a store, thin over :func:`onrecord.web.serve`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

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
    allow_edit: bool = typer.Option(False, "--allow-edit",
                                    help="Let a signed-in editor correct the record from the pages (speakers, dates, "
                                         "claim sides). Prints a one-time sign-in link; read-only without it."),
    base_url: Optional[str] = typer.Option(None, "--base-url",
                                           help="Serve under this path prefix (behind a proxy), e.g. /onrecord/."),
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

      onrecord serve --allow-edit                   # corrections from the pages, after signing in
    """
    import secrets

    from ..web import check_serve
    from ..web import serve as run_server
    from ._app import fail

    db = run_guarded(check_serve, db, host=host, port=port, workers=workers)
    prefix = "/"
    if base_url:
        prefix = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
        if any(c in prefix for c in "?#\\ "):
            raise fail(f"--base-url {base_url!r} must be a plain path such as /onrecord/")
    options: dict = {"settings": {"base_url": prefix}} if prefix != "/" else {}
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}{prefix}"
    if allow_edit:
        # One secret and one sign-in token for every worker process, so the sign-in holds on all of them.
        options.update(allow_edit=True, secret=secrets.token_hex(32), root_token=secrets.token_hex(32))
        err.print(f"editing allowed for the signed-in editor; sign in (once) at {where}-/auth-token?token="
                  f"{options['root_token']}", highlight=False, markup=False)
    if not quiet:
        mode = "with editing for signed-in editors" if allow_edit else "read-only"
        err.print(f"serving {db} {mode} at {where} (Ctrl+C to stop)", highlight=False, markup=False)
        if host not in ("127.0.0.1", "localhost", "::1"):
            err.print(f"warning: {host} is reachable from other machines; anyone there can read the whole store",
                      highlight=False, markup=False)
    run_guarded(run_server, db, host=host, port=port, workers=workers, quiet=quiet, **options)
