"""The Datasette plugin: onrecord's pages as routes beside Datasette's tables, facets, SQL, JSON and CSV.

Datasette finds it through the ``datasette`` entry point (``onrecord.web``), with its templates
(``onrecord/web/templates``) and static files (``/-/static-plugins/onrecord/``).  It is configured through
plugin config, so it serves nothing in a Datasette that does not ask for it::

    {"plugins": {"onrecord": {"database": "onrecord", "allow_edit": false, "editors": ["root"]}}}

``database`` names the store among Datasette's databases (or ``db`` gives its path); ``allow_edit`` turns on
the correction forms for actors in ``editors`` (Datasette's ``--root`` actor signs in with its token link).

Each view parses its URL and runs one function of :mod:`onrecord.web.queries` on Datasette's thread pool
(SQLite there, off the event loop), then renders with ``datasette.render_template``, so URLs go through
``datasette.urls`` and honour ``base_url``.  Everything a Datasette's pages keep (the store's state, the
links, the macros) lives in one :class:`Site` per Datasette, held by its routes, never in a module global.
Templates are autoescaped and never mark article text as safe; pages carry a Content-Security-Policy that
allows no script at all.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape as _esc
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup, escape
from datasette import hookimpl
from datasette.utils.asgi import Response

from ..errors import ConfigError, OnrecordError, StoreError
from . import limits

PLUGIN = "onrecord"
#: The store's name in Datasette's own URLs: /onrecord/attributions, /onrecord?sql=...
DATABASE = "onrecord"
#: The permission a Datasette actor needs to correct the record from the pages.
EDIT_ACTION = "onrecord-edit"
#: onrecord's stylesheet, served by the plugin itself (Datasette's /-/static-plugins/ names a plugin by its
#: distribution when installed and by its module otherwise).
STATIC_ROUTE = "/-/onrecord/static"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

HEADERS = {
    "content-security-policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
                                " base-uri 'none'; frame-ancestors 'none'"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}


# -- URLs ------------------------------------------------------------------------------------------------

def text_fragment(text: str | None, words: int = 4) -> str:
    """A text fragment directive (``:~:text=``) that makes the browser scroll to and highlight ``text``.

    Long passages are given by their first and last few words (``text=start,end``), as browsers match those
    more reliably than a whole sentence that crosses highlighted spans."""
    parts = (text or "").split()
    if not parts:
        return ""

    def enc(piece: list[str]) -> str:
        return quote(" ".join(piece), safe="").replace("-", "%2D")

    if len(parts) <= 2 * words:
        return ":~:text=" + enc(parts)
    return f":~:text={enc(parts[:words])},{enc(parts[-words:])}"


@lru_cache(maxsize=16384)
def _quoted(part: str) -> str:
    """One path segment, quoted (``quote`` costs a microsecond, and a page links the same ids several times)."""
    return quote(part, safe="")


class Prefixed(str):
    """A URL already under Datasette's ``base_url``: given back to :meth:`Links.path`, it is not prefixed twice.

    Datasette's own PrefixedUrlString does the same, but looks up every attribute through ``dir(str)``: escaping
    one for a page cost more than building it, and a page has hundreds of links."""

    __slots__ = ()


class Links:
    """Every URL the pages make, under Datasette's ``base_url`` (``datasette.urls.path``)."""

    def __init__(self, urls: Any = None) -> None:
        self.urls = urls
        # The links a page makes by the hundred (speakers, articles, outlets): this prefix and a quoted id.
        self._root = self.path("/")

    def path(self, path: str) -> str:
        if isinstance(path, Prefixed):
            return path
        return Prefixed(self.urls.path(path) if self.urls is not None else path)

    def speaker(self, ref: str | None) -> str | None:
        return None if not ref else Prefixed(f"{self._root}speaker/{_quoted(ref)}")

    def article(self, article_id: str, idx: int | None = None, mark: Any = None, text: str | None = None) -> str:
        url = f"{self._root}article/{_quoted(article_id)}"
        if mark is not None:
            return Prefixed(f"{url}?mark={int(mark.start)}-{int(mark.end)}#mark{text_fragment(text)}")
        return Prefixed(url + (f"#s{int(idx)}" if idx is not None else ""))

    def page(self, path: str, **params: Any) -> str:
        kept = {k: v for k, v in params.items() if v not in (None, "", False)}
        return Prefixed(self.path(path) + ("?" + urlencode(kept) if kept else ""))

    def table_csv(self, table: str, **params: Any) -> str:
        """Datasette's CSV of one of the store's tables, filtered as Datasette's table filters say."""
        return self.page(f"/{DATABASE}/{table}.csv", **params, _size="max")

    def sql_csv(self, sql: str, **params: Any) -> str:
        """Datasette's CSV of a read-only query with ``:named`` parameters."""
        return self.page(f"/{DATABASE}.csv", sql=sql, **params, _size="max")

    def outlet(self, name: str | None) -> str | None:
        return None if not name else Prefixed(f"{self._root}outlet/{_quoted(name)}")

    def context(self) -> dict[str, Any]:
        """What the templates call: ``speaker_url``, ``article_url``, ``page_url``, ``path``, ``static`` (made once:
        callers copy it into their own context)."""
        cached = getattr(self, "_context", None)
        if cached is not None:
            return cached
        self._context: dict[str, Any] = {"speaker_url": self.speaker, "article_url": self.article, "page_url": self.page, "path": self.path,
                "outlet_url": self.outlet, "static": self.path(STATIC_ROUTE),
                "safe_href": safe_href, "database": DATABASE, "database_url": self.path("/" + DATABASE)}
        return self._context


_PLAIN_LINKS = Links()
# Without a Datasette (tests, scripts): the same links at the root.
speaker_url, article_url, page_url = _PLAIN_LINKS.speaker, _PLAIN_LINKS.article, _PLAIN_LINKS.page


def safe_href(url: str | None) -> str | None:
    """Only web addresses become links: a stored ``javascript:`` URL is shown as text, never followed."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def text_html(runs: Any, by: dict[int, Any], links: Links = _PLAIN_LINKS) -> Markup:
    """The article text with its highlights: what a loop in the template would write, at a fraction of the cost
    (an article is a thousand runs). Every piece of text and every attribute value passes through
    ``html.escape`` (quotes too), which escapes what ``markupsafe.escape`` does without making a Markup object
    for each of them; the whole is marked safe once, at the end."""
    out: list[str] = []
    add = out.append
    classes: dict[tuple[str, ...], str] = {}
    opened: dict[tuple[int, str], str] = {}  # each statement's opening tag and tooltip, by role: made once
    for run in runs:
        for anchor in run.anchors:
            add(f'<span id="{_esc(anchor)}" class="or-anchor"></span>')
        text = _esc(run.text)
        if not run.roles:
            add(text)
            continue
        cls = classes.get(run.roles)
        if cls is None:
            cls = classes[run.roles] = _esc("or-run or-" + " or-".join(run.roles))
        st = by.get(run.statement)
        if st is None:
            add(f'<span class="{cls}">{text}</span>')
            continue
        link = run.role == "source" and bool(st.speaker_ref)
        key = (run.statement, "source" if link else run.role)
        tip = opened.get(key)
        if tip is None:
            if link:
                via = f" · linked by {_esc(st.via)}" if st.via else ""
                tip = opened[key] = (f'href="{_esc(links.speaker(st.speaker_ref))}" data-statement="{run.statement}"',
                                     f'<span class="or-tip">{_esc(str(st.speaker))}{via}</span>')
            else:
                tip = opened[key] = (f'data-statement="{run.statement}"',
                                     f'<span class="or-tip">{_esc(run.role)} of a statement by '
                                     f'{_esc(st.speaker or "an unresolved source")} ({_esc(st.kind)})</span>')
        if link:
            add(f'<a class="{cls}" {tip[0]}>{text}{tip[1]}</a>')
        else:
            add(f'<span class="{cls}" {tip[0]}>{text}{tip[1]}</span>')
    return Markup("".join(out))


# -- what a view returns ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Page:
    """A template to render with its context (the view's worker-thread work is done by then)."""

    template: str
    context: dict[str, Any]
    status: int = 200
    #: HTML a macro makes, cached while its source object is the same: (context name, cache key, source, macro
    #: name, more macro arguments). A name ending in ``[]`` collects a list (one claim card after another).
    fragments: tuple[tuple[str, Any, Any, str, tuple], ...] = ()


def _entity_tags(header: str | None) -> set[str]:
    """The entity tags an ``If-None-Match`` header lists."""
    return {t.strip() for t in (header or "").split(",") if t.strip()}


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), status=status,
                    content_type="application/json; charset=utf-8",
                    headers={"x-content-type-options": "nosniff", "cache-control": "no-cache"})


def wants_json(request: Any) -> bool:
    return bool(request.url_vars.get("ext"))


def arg(request: Any, name: str) -> str | None:
    # Datasette parses the query string again on every ``request.args``; a page asks for a dozen values.
    args = request.scope.get("onrecord.args")
    if args is None:
        args = request.scope["onrecord.args"] = request.args
    value = args.get(name)
    return value.strip() if value and value.strip() else None


# -- one Datasette's pages ----------------------------------------------------------------------------------

class Site:
    """What one Datasette's onrecord pages keep: its config, the store's state, links and macros."""

    def __init__(self, datasette: Any, config: dict[str, Any]) -> None:
        self.datasette = datasette
        self.config = config
        self.links = Links(datasette.urls)
        self._state: Any = None
        self._lock = threading.Lock()
        self._macros: Any = None
        self._pages: Any = None
        self._instance = secrets.token_hex(6)

    @property
    def database(self) -> str:
        return str(self.config.get("database") or DATABASE)

    @property
    def state(self) -> Any:
        from .state import StoreState

        if self._state is not None:
            return self._state
        with self._lock:
            if self._state is None:
                path = self.config.get("db")
                if not path:
                    db = self.datasette.databases.get(self.database)
                    if db is None or not db.path:
                        raise StoreError(f"the onrecord plugin is set to show the database {self.database!r}, which "
                                         "this Datasette does not serve; set plugins.onrecord.database or .db")
                    path = db.path
                self._state = StoreState(path)
            return self._state

    @property
    def allow_edit(self) -> bool:
        return bool(self.config.get("allow_edit"))

    async def can_edit(self, request: Any) -> bool:
        return self.allow_edit and await self.datasette.permission_allowed(request.actor, EDIT_ACTION, default=False)

    @property
    def pages(self) -> Any:
        """The templates as a synchronous environment over Datasette's own template loader.

        Datasette's environment renders asynchronously, and async templates cost several times more (an async
        macro with a loop ten times: a claims board page spent 27 ms rendering cards instead of 3). So each
        page's own blocks (title, content) are rendered here, on the worker thread, from the same template
        files found through Datasette's loader (a ``--template-dir`` override applies), and only the frame
        around them (``onrecord_page.html`` extending ``onrecord_base.html``) by ``datasette.render_template``."""
        with self._lock:
            if self._pages is None:
                import jinja2

                # Templates are read once per process, as Datasette's own are when it is not reloading.
                self._pages = jinja2.Environment(loader=self.datasette.jinja_env.loader, autoescape=True,
                                                 auto_reload=False, cache_size=64)
                # The links as globals, so templates import the macros without their context: Jinja keeps such
                # an import's module, where ``with context`` ran the whole macros file again on every page.
                self._pages.globals.update(self.links.context())
                self._pages.filters.update(article_url=self.links.article, speaker_url=self.links.speaker,
                                           outlet_url=self.links.outlet)
            return self._pages

    @property
    def macros(self) -> Any:
        """onrecord's macros, compiled once, for the fragments cached between pages (claim cards, charts)."""
        env = self.pages
        with self._lock:
            if self._macros is None:
                self._macros = env.get_template("onrecord_macros.html").make_module(vars=self.links.context())
            return self._macros

    def fragment(self, key: Any, source: Any, macro: str, args: tuple = ()) -> Markup:
        """A macro's HTML for ``source``; with a ``key``, reused while ``source`` is the same object.

        The objects passed with a key come from the per-generation caches, so the same object means the same
        data; the fragment cache holds the object too, so its identity cannot be taken by a new one."""
        state = self.state
        if key is not None:
            hit = state.fragments.peek(key, 0)
            if hit is not None and hit[0] is source:
                return hit[1]
        html = Markup(getattr(self.macros, macro)(source, *args))
        if key is not None:
            state.fragments.put(key, 0, (source, html))
        return html

    def render_blocks(self, page: Page, frame: dict[str, Any], editing: dict[str, Any]) -> dict[str, Markup]:
        """The page's fragments, then its title, search text and content blocks, as HTML (on the worker thread)."""
        context = {**self.links.context(), **frame, **page.context}
        for name, key, source, macro, args in page.fragments:
            args = tuple(editing.get(a, a) if isinstance(a, str) else a for a in args)
            html = self.fragment(key, source, macro, args)
            if name.endswith("[]"):
                context.setdefault(name[:-2], []).append(html)
            else:
                context[name] = html
        template = self.pages.get_template(page.template)
        ctx = template.new_context(context)
        return {f"{name}_html": Markup("".join(template.blocks[name](ctx)))
                for name in ("title", "query", "content") if name in template.blocks}

    async def render(self, blocks: dict[str, Markup], frame: dict[str, Any], status: int, request: Any) -> Response:
        context = {**self.links.context(), "title_html": "", "query_html": "", **frame, **blocks}
        html = await self.datasette.render_template("onrecord_page.html", context, request=request)
        return Response.html(html, status=status, headers=dict(HEADERS))

    def frame(self, request: Any, can_edit: bool) -> dict[str, Any]:
        """What the frame and every page template know about the request."""
        route = request.scope.get("route_path") or request.path
        query = request.query_string
        return {
            # What a correction form's redirect says it did (or why it did not), shown on any page it returns to.
            "fixed": arg(request, "fixed"), "edit_error": arg(request, "error"), "can_edit": can_edit,
            "json_url": self.links.path("/index.json" if route == "/" else route + ".json") + (f"?{query}" if query
                                                                                                else ""),
        }

    def error(self, request: Any, status: int, title: str, message: str) -> Page | Response:
        if wants_json(request):
            return json_response({"ok": False, "error": message}, status)
        return Page("onrecord_error.html", {"title": title, "message": message}, status)

    def view(self, build: Callable[["Site", Any], Any], seconds: float = limits.PAGE_TIME_LIMIT_S,
             executor: Any = None) -> Callable:
        """A route: ``build(site, request)`` on a worker thread within ``seconds`` of SQLite time, onrecord errors
        as pages, then the render."""

        from .queries import NotFound

        async def route(request: Any) -> Response:
            can_edit = await self.can_edit(request)
            # A page the client already has, from this worker and store generation: 304, nothing rebuilt. Editors'
            # pages carry a form token, so they are always sent whole.
            tag = self.etag() if request.method == "GET" and not can_edit else None
            if tag is not None and tag in _entity_tags(request.headers.get("if-none-match")):
                return Response("", status=304, headers={"etag": tag, **HEADERS})
            token = request.scope["csrftoken"]() if can_edit and "csrftoken" in request.scope else ""
            # Fragment macro arguments named "$can_edit" / "$csrftoken" receive these (forms need both).
            editing = {"$can_edit": can_edit, "$csrftoken": token}
            frame = self.frame(request, can_edit)
            frame["csrftoken"] = lambda: token

            def work() -> Any:
                try:
                    with self.state.time_limit(seconds):
                        result = build(self, request)
                        if isinstance(result, Page):
                            if result.status != 200:
                                frame.pop("json_url", None)
                            return result, self.render_blocks(result, frame, editing)
                        return result
                except NotFound as err:
                    failed = self.error(request, 404, "Not found", str(err))
                except ConfigError as err:
                    failed = self.error(request, 400, "Cannot show this", str(err))
                except StoreError as err:
                    failed = self.error(request, 503, "The store cannot be read", str(err))
                except OnrecordError as err:
                    failed = self.error(request, 400, "Cannot show this", str(err))
                if isinstance(failed, Page):
                    frame.pop("json_url", None)
                    return failed, self.render_blocks(failed, frame, editing)
                return failed

            pool = executor or getattr(self.datasette, "executor", None)
            result = await asyncio.get_running_loop().run_in_executor(pool, work)
            if isinstance(result, tuple):
                page, blocks = result
                result = await self.render(blocks, {**frame, "csv_url": page.context.get("csv_url")}, page.status,
                                           request)
            if tag is not None and result.status == 200:
                result.headers["etag"] = tag
            return result

        return route

    def etag(self) -> str | None:
        """The validator of every page this worker builds now: its store generation, under a token of this
        process (another worker's or a restarted one's generations are other numbers), and today's date (a
        timeline ``?since=2 weeks ago`` means another day tomorrow). The generation moves when anything is
        committed, so a tag never outlives the data its page was built from; None when the store cannot be
        read (the page then says why)."""
        try:
            return f'W/"{self._instance}-{self.state.refresh()}-{date.today().isoformat()}"'
        except OnrecordError:
            return None


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Callable]]:
    # Only a Datasette configured for onrecord (plugins.onrecord in its metadata) gets the pages: the plugin is
    # installed for every Datasette in the environment and must not take over another one's front page.
    config = datasette.plugin_config(PLUGIN)
    if config is None:
        return []
    from . import views

    from datasette.utils.asgi import asgi_static

    site = Site(datasette, config)
    static = (rf"^{STATIC_ROUTE}/(?P<path>.*)$", asgi_static(str(STATIC)))
    pages = [(pattern, site.view(build, limits.SEARCH_TIME_LIMIT_S, _SEARCH_POOL) if build is views._search
              else site.view(build)) for pattern, build in views.ROUTES]
    return pages + views.edit_routes(site) + [static, (r"^/-/databases(?P<ext>\.json)?$", _databases)]


# Searches wait for each other on their own threads, so slow ones cannot hold up every other page.
_SEARCH_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="onrecord-search")


async def _databases(datasette: Any, request: Any) -> Response:
    """Datasette's /-/databases.json without the file paths (the server's folders are nobody's business)."""
    return json_response([{"name": db.name, "route": db.route, "is_mutable": db.is_mutable,
                           "is_memory": db.is_memory} for db in datasette.databases.values()])


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable:
    if datasette.plugin_config(PLUGIN) is None:
        return lambda app: app
    return limits.secure_headers


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Response:
    """Every error Datasette's views raise, as a page: a bad parameter is a 400, never a 500 with a traceback.

    The page is built here from the message alone, so this handler cannot fail the way a template can."""
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError

    if isinstance(exception, Base400):
        status, message = exception.status, str(exception.args[0] if exception.args else exception)
    elif isinstance(exception, DatasetteError):  # raised for what the request asked (a sort, a size, SQL)
        status, message = (400 if exception.status >= 500 else exception.status), exception.message
    elif isinstance(exception, (ValueError, OverflowError, sqlite3.Error)):
        status, message = 400, f"cannot answer this request ({exception.__class__.__name__}: {exception})"
    else:
        status, message = 500, "the server could not answer this request; its log has one line about it"
    if status >= 500 or not isinstance(exception, (Base400, DatasetteError)):
        limits.log_line(request, exception)
    message = " ".join(str(message).split())[:500]
    if request.path.split("?")[0].endswith(".json"):
        return json_response({"ok": False, "error": message, "status": status}, status)
    body = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Error {status}</title></head>"
            f"<body><h1>Error {status}</h1><p>{escape(message)}</p><p><a href=\"/\">onrecord</a></p></body></html>")
    return Response.html(body, status=status, headers=dict(HEADERS))


@hookimpl
def permission_allowed(datasette: Any, actor: Any, action: str, resource: Any) -> bool | None:
    """Correcting the record: only where the server was started to allow it, and only for its editors."""
    if action != EDIT_ACTION:
        return None
    config = datasette.plugin_config(PLUGIN) or {}
    if not config.get("allow_edit") or not actor:
        return False
    return actor.get("id") in (config.get("editors") or ["root"])

