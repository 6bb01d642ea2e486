"""The Datasette plugin: onrecord's own pages as routes beside Datasette's tables, facets, SQL, JSON and CSV.

Each view parses its URL, calls one function of :mod:`onrecord.web.queries`
on a worker thread (SQLite and Jinja both run there, off the event loop) and
renders one template.  Templates are autoescaped and never mark article text as
safe; pages carry a Content-Security-Policy that allows no script at all, so
even a mistake in escaping could not run anything an article contains.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, unquote, urlencode, urlsplit

import jinja2
from markupsafe import Markup, escape
from datasette import hookimpl
from datasette.utils.asgi import Response

from ..errors import ConfigError, OnrecordError, StoreError
from . import queries
from .records import plain
from .state import StoreState

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
STATIC_MOUNT = "onrecord-static"
#: The store's name in Datasette's own URLs: /onrecord/attributions, /onrecord?sql=...
DATABASE = "onrecord"

HEADERS = {
    "content-security-policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
                                " base-uri 'none'; frame-ancestors 'none'"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}

# Datasette instances serving a store, and that store's state (the plugin's hooks are global).
_STATES: "weakref.WeakKeyDictionary[Any, StoreState]" = weakref.WeakKeyDictionary()


def attach(datasette: Any, state: StoreState) -> None:
    _STATES[datasette] = state


# -- URL helpers the templates use ------------------------------------------------------------------------

def speaker_url(ref: str | None) -> str | None:
    return None if not ref else "/speaker/" + quote(ref, safe="")


def article_url(article_id: str, idx: int | None = None, mark: Any = None) -> str:
    url = "/article/" + quote(article_id, safe="")
    if mark is not None:
        return f"{url}?mark={int(mark.start)}-{int(mark.end)}#mark"
    return url + (f"#s{int(idx)}" if idx is not None else "")


def page_url(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(kept) if kept else "")


def safe_href(url: str | None) -> str | None:
    """Only web addresses become links: a stored ``javascript:`` URL is shown as text, never followed."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(speaker_url=speaker_url, article_url=article_url, page_url=page_url, safe_href=safe_href,
                    database=DATABASE, static=f"/{STATIC_MOUNT}")


def render(template: str, status: int = 200, **context: Any) -> Response:
    return Response.html(_env.get_template(template).render(**context), status=status, headers=dict(HEADERS))


# -- running page work off the event loop -----------------------------------------------------------------

async def _off_loop(datasette: Any, fn: Callable[[], Response]) -> Response:
    executor = getattr(datasette, "executor", None)
    if executor is None:
        return fn()
    return await asyncio.get_running_loop().run_in_executor(executor, fn)


def _guarded(build: Callable[[StoreState], Response]) -> Callable:
    """A view that finds its store, runs ``build`` on a worker thread and turns onrecord errors into pages."""

    async def view(datasette: Any, request: Any) -> Response:
        state = _STATES.get(datasette)
        if state is None:
            return Response.text("onrecord pages are not configured for this Datasette", status=404)

        def work() -> Response:
            try:
                return build(state, request)
            except queries.NotFound as err:
                return _error(request, 404, "Not found", str(err))
            except ConfigError as err:
                return _error(request, 400, "Cannot show this", str(err))
            except StoreError as err:
                return _error(request, 503, "The store cannot be read", str(err))
            except OnrecordError as err:
                return _error(request, 400, "Cannot show this", str(err))

        return await _off_loop(datasette, work)

    return view


def _wants_json(request: Any) -> bool:
    return bool(request.url_vars.get("ext"))


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), status=status,
                    content_type="application/json; charset=utf-8",
                    headers={"x-content-type-options": "nosniff", "cache-control": "no-cache"})


def _error(request: Any, status: int, title: str, message: str) -> Response:
    if _wants_json(request):
        return _json({"ok": False, "error": message}, status)
    return render("onrecord_error.html", status, title=title, message=message)


def _arg(request: Any, name: str) -> str | None:
    value = request.args.get(name)
    return value.strip() if value and value.strip() else None


# -- the pages --------------------------------------------------------------------------------------------

def _fragment(state: StoreState, key: Any, source: Any, build: Callable[[Any], Any]) -> Any:
    """``build(source)`` (Markup from an autoescaped macro), reused while ``source`` is the same object.

    The objects passed here come from the per-generation caches, so the same object means the same data; the
    fragment cache holds the object too, so its identity cannot be taken by a new one.
    """
    hit = state.fragments.peek(key, 0)
    if hit is not None and hit[0] is source:
        return hit[1]
    html = build(source)
    state.fragments.put(key, 0, (source, html))
    return html


def _home(state: StoreState, request: Any) -> Response:
    return render("onrecord_home.html", home=queries.home_page(state))


def text_html(runs: Any, by: dict[int, Any]) -> Markup:
    """The article text with its highlights: what a loop in the template would write, at a fraction of the cost
    (an article is a thousand runs). Every piece of text and every attribute value passes through ``escape``."""
    out: list[str] = []
    add = out.append
    for run in runs:
        for anchor in run.anchors:
            add(f'<span id="{escape(anchor)}" class="or-anchor"></span>')
        text = escape(run.text)
        if not run.roles:
            add(text)
            continue
        st = by.get(run.statement)
        cls = escape("or-run or-" + " or-".join(run.roles))
        if run.role == "source" and st is not None and st.speaker_ref:
            via = f" · linked by {escape(st.via)}" if st.via else ""
            add(f'<a class="{cls}" href="{escape(speaker_url(st.speaker_ref))}" data-statement="{run.statement}">'
                f'{text}<span class="or-tip">{escape(st.speaker)}{via}</span></a>')
        elif st is not None:
            add(f'<span class="{cls}" data-statement="{run.statement}">{text}<span class="or-tip">'
                f'{escape(run.role)} of a statement by {escape(st.speaker or "an unresolved source")}'
                f' ({escape(st.kind)})</span></span>')
        else:
            add(f'<span class="{cls}">{text}</span>')
    return Markup("".join(out))


def _article(state: StoreState, request: Any) -> Response:
    mark = queries.parse_mark(_arg(request, "mark"))
    page = queries.article_page(state, unquote(request.url_vars["ref"]), mark=mark)
    if _wants_json(request):
        return _json(page.to_dict())
    return render("onrecord_article.html", page=page, text_html=text_html(page.runs, page.by_idx()))


def _speaker(state: StoreState, request: Any) -> Response:
    ref = unquote(request.url_vars["ref"])
    target = queries.resolve_speaker(state, ref)
    if target.ref != ref:  # one page per entity, whichever spelling was asked for
        ext = ".json" if _wants_json(request) else ""
        return Response.redirect(page_url(speaker_url(target.ref) + ext, page=_arg(request, "page")))
    page = queries.speaker_page(state, target, page=_arg(request, "page"))
    if _wants_json(request):
        return _json(page.to_dict())
    chart = _env.get_template("_macros.html").module.chart_svg
    chart_html = _fragment(state, ("speaker-chart", page.ref), page.chart,
                           lambda c: chart(c, {"speaker": page.ref}))
    return render("onrecord_speaker.html", page=page, chart_html=chart_html)


def _speakers(state: StoreState, request: Any) -> Response:
    rows, pager = queries.speakers_list(state, page=_arg(request, "page"))
    if _wants_json(request):
        return _json({"speakers": plain(rows), "page": pager.page, "pages": pager.pages, "total": pager.total})
    return render("onrecord_speakers.html", rows=rows, pager=pager)


def _claims(state: StoreState, request: Any) -> Response:
    contested_only = _arg(request, "all") is None
    board = queries.claims_board(state, contested_only=contested_only, kind=_arg(request, "kind"),
                                 about=_arg(request, "about"), party=_arg(request, "party"),
                                 page=_arg(request, "page"))
    if _wants_json(request):
        return _json(board.to_dict())
    card = _env.get_template("_macros.html").module.claim_card

    def card_html(c: Any) -> Any:
        return _fragment(state, ("claim-html", c.id), c, card)

    return render("onrecord_claims.html", board=board, kind=_arg(request, "kind"), about=_arg(request, "about"),
                  party=_arg(request, "party"), card_html=card_html)


def _positions(state: StoreState, request: Any) -> Response:
    matrix = queries.positions_matrix(state, proposal=_arg(request, "proposal"), party=_arg(request, "party"))
    if _wants_json(request):
        return _json(matrix.to_dict())
    return render("onrecord_positions.html", matrix=matrix, proposal=_arg(request, "proposal"),
                  party=_arg(request, "party"))


def _timeline(state: StoreState, request: Any) -> Response:
    args = {k: _arg(request, k) for k in ("speaker", "about", "since", "until")}
    page = queries.timeline_page(state, **args, page=_arg(request, "page"))
    if _wants_json(request):
        return _json(page.to_dict())
    return render("onrecord_timeline.html", page=page, args=args)


def _search(state: StoreState, request: Any) -> Response:
    page = queries.search_page(state, _arg(request, "q"), scope=_arg(request, "in") or "articles")
    if _wants_json(request):
        return _json(page.to_dict())
    return render("onrecord_search.html", page=page)


ROUTES = (
    (r"^/$", _home),
    (r"^/article/(?P<ref>[^/]+?)(?P<ext>\.json)?$", _article),
    (r"^/speaker/(?P<ref>[^/]+?)(?P<ext>\.json)?$", _speaker),
    (r"^/speakers(?P<ext>\.json)?$", _speakers),
    (r"^/claims(?P<ext>\.json)?$", _claims),
    (r"^/positions(?P<ext>\.json)?$", _positions),
    (r"^/timeline(?P<ext>\.json)?$", _timeline),
    (r"^/search(?P<ext>\.json)?$", _search),
)


@hookimpl
def register_routes(datasette):
    # Datasette builds its routes inside its constructor, before onrecord can attach the store, so the
    # routes are always there and each request looks its store up (a foreign Datasette gets a 404).
    return [(pattern, _guarded(build)) for pattern, build in ROUTES]
