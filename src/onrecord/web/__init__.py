"""The record in a browser: onrecord's pages as a Datasette plugin, over a store opened read-only.

    onrecord serve --db news.db            # http://127.0.0.1:8001/

Pages: the article reader (/article/ID: sources, cues and contents highlighted,
the resolved speaker on hover), speaker pages (/speaker/REF: every statement
over time, roles and aliases), the contested-claims board (/claims), the
positions matrix (/positions), the timeline (/timeline) and search (/search);
Datasette's own tables, facets, SQL, JSON and CSV are under /onrecord.  In
Python: :func:`create_app` for any ASGI server, :func:`serve` for uvicorn.
See docs/web.md.
"""

from .app import ReadOnlyDatabase, check_serve, create_app, create_datasette, serve
from .queries import NotFound
from .state import StoreState

__all__ = sorted(["NotFound", "ReadOnlyDatabase", "StoreState", "check_serve", "create_app", "create_datasette", "serve"])
