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

from __future__ import annotations

from typing import Any

# This package is also Datasette's plugin (the ``datasette`` entry point names it), and Datasette imports its
# plugins while ``datasette.plugins`` itself is still being imported: so only the hooks are imported here, and
# the rest (which needs ``datasette.app``) on first use.
from .plugin import (  # noqa: F401  (Datasette's hooks)
    asgi_wrapper, handle_exception, permission_allowed, register_routes,
)

_LAZY = {
    "ReadOnlyDatabase": "app", "check_serve": "app", "create_app": "app", "create_datasette": "app", "serve": "app",
    "NotFound": "queries", "StoreState": "state",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(["NotFound", "ReadOnlyDatabase", "StoreState", "check_serve", "create_app", "create_datasette", "serve"])
