"""The ``onrecord`` command line: thin adapters over the library, one module per verb group."""

from __future__ import annotations

import importlib

from ._app import app

# Each module registers its commands on `app` when imported.
COMMAND_MODULES = ("extract", "evaluate", "store", "entities", "claims", "scale", "web")

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    app()
