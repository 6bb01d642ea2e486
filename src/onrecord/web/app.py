"""Building the Datasette application for a store, and serving it.

    create_datasette("onrecord.db")   a Datasette with the store (read-only) and onrecord's pages
    create_app("onrecord.db")         its ASGI application, for any ASGI server
    check_serve("onrecord.db", ...)   the checks serve makes before listening (store, port, options)
    serve("onrecord.db", port=8001)   what `onrecord serve` runs (uvicorn; several worker processes on request)
"""

from __future__ import annotations

import errno
import gc
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from ..errors import ConfigError, OnrecordError, StoreError
from ..store.connection import open_reader
from . import plugin
from .limits import CappedConnection

#: Where a worker process started by ``serve(workers=N)`` finds its options.
ENV = "ONRECORD_WEB_OPTIONS"
DEFAULT_PORT = 8001
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class ReadOnlyDatabase(Database):
    """Datasette's view of the store, opened only through the store's own ``mode=ro`` reader."""

    def connect(self, write: bool = False):
        if write:
            raise StoreError("the web server opens the store read-only; write with `onrecord ingest` instead")
        conn = open_reader(self.path, factory=CappedConnection)  # bounded values and results (limits.py)
        self._all_file_connections.append(conn)
        return conn


def ensure_plugin() -> None:
    """onrecord's pages are found through the ``datasette`` entry point (``onrecord.web``) once onrecord is
    installed; a source tree used without installing it registers the same package by hand."""
    if pm.get_plugin(plugin.PLUGIN) is None and not any(p.__name__ == "onrecord.web" for p in pm.get_plugins()):
        import importlib

        pm.register(importlib.import_module("onrecord.web"), name=plugin.PLUGIN)


def plugin_config(*, allow_edit: bool = False, editors: tuple[str, ...] = ("root",)) -> dict[str, Any]:
    """The ``plugins.onrecord`` block of Datasette's metadata that ``create_datasette`` writes."""
    return {"database": plugin.DATABASE, "allow_edit": bool(allow_edit), "editors": list(editors)}


def create_datasette(db: str | Path, *, settings: dict[str, Any] | None = None, allow_edit: bool = False,
                     editors: tuple[str, ...] = ("root",), secret: str | None = None,
                     root_token: str | None = None) -> Datasette:
    """A Datasette serving the store at ``db`` read-only, with onrecord's pages at /, /article/…, /speaker/…

    ``allow_edit`` turns on the correction forms for the actors in ``editors``; Datasette's root actor signs in
    at ``/-/auth-token?token=ROOT_TOKEN`` (``root_token``, or the ``_root_token`` Datasette made). ``secret``
    signs Datasette's cookies: worker processes of one server share it, so a sign-in holds on all of them.
    """
    open_reader(db).close()  # the store's own message, now, for a missing file or one that is not a store
    ensure_plugin()
    if pm.has_plugin("datasette.handle_exception"):
        # Datasette's own handler prints every error's traceback with its local values (article text, SQL);
        # onrecord's plugin answers every error itself with a page and one log line.
        pm.unregister(name="datasette.handle_exception")
    datasette = Datasette(
        files=[],
        # One SQL thread a process: onrecord's page queries are short and run under the GIL between SQLite
        # calls, so Datasette's default three threads mostly trade the GIL back and forth; with --workers the
        # processes give the parallelism (wrk, 50 clients, 1M attributions, 2 workers: 14-27 % more requests/s
        # and 11-20 % less CPU a request than with three; bench/RESULTS.md).
        settings={"sql_time_limit_ms": 3000, "facet_time_limit_ms": 500, "num_sql_threads": 1, **(settings or {})},
        metadata={"title": "onrecord", "description": "Who said what, when, about what — and who disputes it.",
                  "plugins": {plugin.PLUGIN: plugin_config(allow_edit=allow_edit, editors=editors)}},
        secret=secret,
    )
    datasette.add_database(ReadOnlyDatabase(datasette, path=str(Path(db).resolve()), is_mutable=True),
                           name=plugin.DATABASE)
    if root_token:
        datasette._root_token = root_token  # Datasette keeps it there; --root sets it the same way
    return datasette


def create_app(db: str | Path, **options: Any):
    """The ASGI application serving the store at ``db`` (options as for :func:`create_datasette`)."""
    return create_datasette(db, **options).app()


#: About one response in this many asks the client to reconnect (``connection: close``), when worker processes
#: share one socket (see :func:`spread_connections`).
RECONNECT_EVERY = 50


def spread_connections(app: Any, every: int = RECONNECT_EVERY) -> Any:
    """ASGI middleware for worker processes sharing one listening socket: about one response in ``every`` closes
    its keep-alive connection, so that clients reconnect and the connections spread over the workers.

    A worker takes every connection it finds waiting when it wakes (asyncio accepts in a loop), so a burst of
    keep-alive clients can all land on one worker and stay there while the others idle: seen here as one worker
    doing 98 % of the work under 50 clients. Reconnecting now and then (as nginx's ``keepalive_requests`` does)
    lets the kernel hand the new connection to a worker that is waiting, which a busy one is not."""
    import random

    draw = random.Random().random
    chance = 1 / max(1, every)

    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or draw() >= chance:
            await app(scope, receive, send)
            return

        async def send_closing(message: dict) -> None:
            if message.get("type") == "http.response.start":
                message = {**message, "headers": [*(message.get("headers") or []), (b"connection", b"close")]}
            await send(message)

        await app(scope, receive, send_closing)

    return wrapped


def app_from_env():
    """The application each server process builds: the store and options ``serve`` put in ``ONRECORD_WEB_OPTIONS``
    (uvicorn calls this factory in every worker process it starts).

    A store that cannot be opened ends the process with uvicorn's start-up failure status and one line, so
    uvicorn's supervisor stops the server instead of starting the worker again and again."""
    from uvicorn.config import STARTUP_FAILURE

    try:
        options = json.loads(os.environ[ENV])
        app = spread_connections(create_app(options.pop("db"), **options))
        gc.freeze()  # what start-up built lives as long as the worker: later collections need not scan it
        return app
    except (KeyError, ValueError) as err:
        print(f"onrecord serve worker: no usable {ENV} in the environment ({err})", file=sys.stderr)
    except OnrecordError as err:
        print(f"onrecord serve worker: {err}", file=sys.stderr)
    raise SystemExit(STARTUP_FAILURE)


def check_port(host: str, port: int) -> None:
    """Refuse a port already taken now, with a hint, rather than let the server fail after start-up."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise ConfigError(f"port {port} on {host} is already in use; pass another --port") from None
            raise ConfigError(f"cannot listen on {host}:{port} ({err.strerror}); pass another --host or --port") from None


def check_serve(db: str | Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, workers: int = 1) -> Path:
    """Everything ``serve`` needs, checked before anything listens: the store, the port, the options."""
    if workers < 1:
        raise ConfigError(f"--workers {workers}: need at least 1")
    if not 0 < port < 65536:
        raise ConfigError(f"--port {port} is not a TCP port; use 1–65535")
    path = Path(db).resolve()
    open_reader(path).close()
    check_port(host, port)
    return path


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket the worker processes share (made here rather than by uvicorn for one flag)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto named explicitly: asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP, and without
    # it every page waited 40 ms on the client's delayed ACK (uvicorn's own socket for ``workers`` leaves it 0).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port} ({err.strerror}); pass another --host or --port") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, workers: int = 1,
          quiet: bool = False, **options: Any) -> None:
    """Serve the store until interrupted; ``workers`` > 1 runs that many server processes on the one port.

    The processes are uvicorn's own (its ``workers`` mode: one listening socket shared by N processes, a parent
    that starts a worker again when one dies and stops them all on SIGTERM or Ctrl-C). Each builds the
    application with :func:`app_from_env` from the options put in ``ONRECORD_WEB_OPTIONS``.
    """
    import uvicorn

    path = check_serve(db, host=host, port=port, workers=workers)
    log = {"log_level": "warning" if quiet else "info", "access_log": not quiet}
    if workers == 1:
        uvicorn.run(create_app(path, **options), host=host, port=port, lifespan="on", **log)
        return
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    os.environ[ENV] = json.dumps({"db": str(path), **options})
    config = uvicorn.Config("onrecord.web.app:app_from_env", factory=True, workers=workers, lifespan="on", **log)
    supervisor = Multiprocess(config, sockets=[_listen(host, port)])
    supervisor.run()
    if any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes):
        raise ConfigError("the server's worker processes could not start (the line above says why); "
                          "run `onrecord serve` with --workers 1 to see more")
