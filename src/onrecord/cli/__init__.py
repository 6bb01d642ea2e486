"""The ``onrecord`` command line: thin adapters over the library, one module per verb group."""

from __future__ import annotations

import importlib

from ._app import app

# Each module registers its commands on `app` when imported.
COMMAND_MODULES = ("extract", "evaluate", "store", "entities", "claims", "scale", "web", "fix")

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    # One article at a time through small matrices: BLAS threads cost more than they give, and
    # starve worker processes.  Library users keep whatever their process sets.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        app()
