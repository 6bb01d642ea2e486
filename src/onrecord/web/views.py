"""The pages: each parses its URL, asks :mod:`onrecord.web.queries` or :mod:`onrecord.web.browse` for a record,
and returns a :class:`~onrecord.web.plugin.Page` (rendered by Datasette) or a JSON response.

Builders run on Datasette's thread pool; they only read (the store is opened ``mode=ro``).  The one writing
route, ``POST /-/onrecord/fix``, is registered only where the server was started with editing allowed, checks
Datasette's permission for the signed-in actor, and is CSRF-checked by Datasette's asgi-csrf.
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import unquote

from datasette.utils.asgi import Response

from ..errors import ConfigError, OnrecordError
from ..store.fts import fts_query
from . import browse, queries
from .plugin import Page, Site, arg, json_response, text_html, wants_json
from .records import plain


def _home(site: Site, request: Any) -> Any:
    home = queries.home_page(site.state)
    if wants_json(request):
        return json_response(plain(home))
    return Page("onrecord_home.html", {"home": home, "csv_url": site.links.table_csv("articles",
                                                                                     _sort_desc="published")})


def _article(site: Site, request: Any) -> Any:
    mark = queries.parse_mark(arg(request, "mark"))
    page = queries.article_page(site.state, unquote(request.url_vars["ref"]), mark=mark)
    if wants_json(request):
        return json_response(page.to_dict())
    return Page("onrecord_article.html", {"page": page, "text_html": text_html(page.runs, page.by_idx(), site.links),
                                          "csv_url": site.links.table_csv("attributions", article_id=page.article.id)},
                fragments=(("statements_html", None, page, "article_statements", ("$can_edit", "$csrftoken")),))


def _speaker(site: Site, request: Any) -> Any:
    ref = unquote(request.url_vars["ref"])
    target = queries.resolve_speaker(site.state, ref)
    if target.ref != ref:  # one page per entity, whichever spelling was asked for
        ext = ".json" if wants_json(request) else ""
        return Response.redirect(site.links.page(f"/speaker/{_quote(target.ref)}{ext}", page=arg(request, "page")))
    page = queries.speaker_page(site.state, target, page=arg(request, "page"))
    if wants_json(request):
        return json_response(page.to_dict())
    csv = (site.links.sql_csv("select a.* from entity_statements s join attributions a on a.pk = s.pk"
                              " where s.entity_id = :entity order by s.day desc, s.pk desc", entity=target.entity_id)
           if target.entity_id else site.links.table_csv("attributions", speaker_name=target.name, _sort_desc="day"))
    return Page("onrecord_speaker.html", {"page": page, "csv_url": csv},
                fragments=(("chart_html", ("speaker-chart", page.ref), page.chart, "chart_svg",
                            ({"speaker": page.ref},)),
                           ("statements_html", None, page.rows, "statement_table", (False,))))


def _quote(ref: str) -> str:
    from urllib.parse import quote

    return quote(ref, safe="")


def _speakers(site: Site, request: Any) -> Any:
    rows, pager = queries.speakers_list(site.state, page=arg(request, "page"))
    if wants_json(request):
        return json_response({"speakers": plain(rows), "page": pager.page, "pages": pager.pages,
                              "total": pager.total})
    csv = (site.links.table_csv("entities", _sort_desc="statements") if site.state.session().has_entities
           else site.links.table_csv("speakers"))
    return Page("onrecord_speakers.html", {"rows": rows, "pager": pager, "csv_url": csv})


def _claims(site: Site, request: Any) -> Any:
    contested_only = arg(request, "all") is None
    board = queries.claims_board(site.state, contested_only=contested_only, kind=arg(request, "kind"),
                                 about=arg(request, "about"), party=arg(request, "party"), page=arg(request, "page"))
    if wants_json(request):
        return json_response(board.to_dict())
    cards = tuple(("cards[]", ("claim-html", c.id), c, "claim_card", ()) for c in board.claims)
    return Page("onrecord_claims.html", {"board": board, "kind": arg(request, "kind"), "about": arg(request, "about"),
                                         "party": arg(request, "party"),
                                         "csv_url": site.links.table_csv("claims", contested=1 if contested_only else None,
                                                                         kind=arg(request, "kind"))},
                fragments=cards)


def _positions(site: Site, request: Any) -> Any:
    matrix = queries.positions_matrix(site.state, proposal=arg(request, "proposal"), party=arg(request, "party"))
    if wants_json(request):
        return json_response(matrix.to_dict())
    return Page("onrecord_positions.html", {"matrix": matrix, "proposal": arg(request, "proposal"),
                                            "party": arg(request, "party"),
                                            "csv_url": site.links.table_csv("positions", _sort="proposal")})


def _timeline(site: Site, request: Any) -> Any:
    args = {k: arg(request, k) for k in ("speaker", "about", "since", "until")}
    page = queries.timeline_page(site.state, **args, page=arg(request, "page"))
    if wants_json(request):
        return json_response(page.to_dict())
    return Page("onrecord_timeline.html", {"page": page, "args": args,
                                           "csv_url": site.links.table_csv("attributions", _sort="day")},
                fragments=(("chart_html", None, page.chart, "chart_svg",
                            ({"speaker": args["speaker"], "about": args["about"]},)),
                           ("statements_html", None, page.rows, "statement_table", ())))


def _search(site: Site, request: Any) -> Any:
    page = queries.search_page(site.state, arg(request, "q"), scope=arg(request, "in") or "articles")
    if wants_json(request):
        return json_response(page.to_dict())
    csv = None
    if page.query and not page.error:
        csv = site.links.sql_csv(
            "select ar.id, ar.title, ar.outlet, ar.published, ar.url from articles_fts"
            " join articles ar on ar.pk = articles_fts.rowid where articles_fts match :q order by rank limit 100",
            q=fts_query(page.query))
    return Page("onrecord_search.html", {"page": page, "csv_url": csv})


def _articles(site: Site, request: Any) -> Any:
    filters = browse.article_filters(**{k: arg(request, k) for k in ("outlet", "since", "until", "speaker",
                                                                      "disputed")})
    page = browse.articles_page(site.state, filters, page=arg(request, "page"))
    if wants_json(request):
        return json_response(page.to_dict())
    csv = site.links.table_csv("articles", outlet__contains=filters.outlet, published__gte=filters.since,
                               published__lte=(filters.until + "\uffff") if filters.until else None,
                               _sort_desc="published")
    return Page("onrecord_articles.html", {"page": page, "params": filters.params(), "csv_url": csv},
                fragments=(("rows_html", None, page.rows, "article_rows", ()),))


def _outlets(site: Site, request: Any) -> Any:
    rows = browse.outlets_list(site.state, arg(request, "q"))
    if wants_json(request):
        return json_response({"outlets": plain(rows)})
    csv = site.links.sql_csv("select outlet, count(*) as articles, min(published) as first, max(published) as last"
                             " from articles where outlet is not null group by outlet order by articles desc")
    return Page("onrecord_outlets.html", {"rows": rows, "q": arg(request, "q"), "asked": None, "csv_url": csv})


def _outlet(site: Site, request: Any) -> Any:
    asked = unquote(request.url_vars["ref"])
    found = browse.resolve_outlet(site.state, asked)
    if isinstance(found, list):  # several outlets have this in their name: let the reader choose
        if wants_json(request):
            return json_response({"outlets": plain(found)}, 300)
        return Page("onrecord_outlets.html", {"rows": found, "q": asked, "asked": asked})
    if found != asked:
        return Response.redirect(site.links.outlet(found) + (".json" if wants_json(request) else ""))
    page = browse.outlet_page(site.state, found)
    if wants_json(request):
        return json_response(page.to_dict())
    cards = tuple(("cards[]", ("claim-html", c.id), c, "claim_card", ()) for c in page.claims)
    return Page("onrecord_outlet.html", {"page": page, "csv_url": site.links.table_csv("articles", outlet=found)},
                fragments=cards + (("chart_html", None, page.chart, "chart_svg", ({}, "articles")),
                                   ("recent_html", None, page.recent, "article_rows", ())))


def _review(site: Site, request: Any) -> Any:
    page = browse.review_page(site.state, arg(request, "reason"))
    if wants_json(request):
        return json_response(page.to_dict())
    return Page("onrecord_review.html", {"page": page,
                                         "csv_url": site.links.page("/review.csv", reason=page.reason)})


def _review_csv(site: Site, request: Any) -> Any:
    import csv
    import io

    page = browse.review_page(site.state, arg(request, "reason"), limit=1000)
    sink = io.StringIO()
    writer = csv.writer(sink)
    fields = ("reason", "ref", "article_id", "idx", "speaker", "text", "detail", "fix")
    writer.writerow(fields)
    for item in page.items:
        data = item.to_dict()
        writer.writerow([data[f] for f in fields])
    return Response(sink.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"x-content-type-options": "nosniff", "cache-control": "no-cache"})


def _corrections(site: Site, request: Any) -> Any:
    rows = browse.corrections_list(site.state)
    if wants_json(request):
        return json_response({"corrections": [c.to_dict() for c in rows]})
    return Page("onrecord_corrections.html", {"rows": rows,
                                              "csv_url": site.links.table_csv("corrections", _sort_desc="id")})


ROUTES: tuple[tuple[str, Callable[[Site, Any], Any]], ...] = (
    (r"^/$", _home),
    (r"^/(?P<ext>index\.json)$", _home),
    (r"^/article/(?P<ref>[^/]+?)(?P<ext>\.json)?$", _article),
    (r"^/articles(?P<ext>\.json)?$", _articles),
    (r"^/outlets(?P<ext>\.json)?$", _outlets),
    (r"^/outlet/(?P<ref>[^/]+?)(?P<ext>\.json)?$", _outlet),
    (r"^/speaker/(?P<ref>[^/]+?)(?P<ext>\.json)?$", _speaker),
    (r"^/speakers(?P<ext>\.json)?$", _speakers),
    (r"^/claims(?P<ext>\.json)?$", _claims),
    (r"^/positions(?P<ext>\.json)?$", _positions),
    (r"^/timeline(?P<ext>\.json)?$", _timeline),
    (r"^/search(?P<ext>\.json)?$", _search),
    (r"^/review(?P<ext>\.json)?$", _review),
    (r"^/review\.csv$", _review_csv),
    (r"^/corrections(?P<ext>\.json)?$", _corrections),
)


# -- corrections from the pages ------------------------------------------------------------------------------

def _fix(form: dict[str, str], db: str, actor: str) -> str:
    """Make the correction the form asks for; a sentence saying what was done."""
    from .. import corrections

    what = form.get("what", "")
    if what == "speaker":
        c = corrections.set_speaker(db, form.get("ref", ""), form.get("name") or None,
                                    type=form.get("type") or "PERSON", actor=actor)
    elif what == "date":
        c = corrections.set_date(db, form.get("ref", ""), form.get("day") or None, actor=actor)
    elif what == "claim":
        side = form.get("side") or ""
        c = corrections.move_party(db, form.get("claim", ""), form.get("party", ""),
                                   None if side == "remove" else side, actor=actor)
    elif what == "stance":
        c = corrections.set_stance(db, form.get("party", ""), form.get("proposal", ""), form.get("stance", ""),
                                   actor=actor)
    elif what in ("merge", "split"):
        names = [n for n in (form.get("names") or "").split("\n") if n.strip()]
        c = corrections.merge_names(db, names, split=what == "split", actor=actor)
    elif what == "undo":
        try:
            number = int(form.get("id", ""))
        except ValueError:
            raise ConfigError("give the number of the correction to undo") from None
        c = corrections.undo(db, number, actor=actor)
        return f"undone: {c.note}"
    else:
        raise ConfigError(f"unknown correction {what!r}")
    return f"correction {c.id}: {c.note}"


def _back(site: Site, request: Any, form: dict[str, str], **params: str) -> Response:
    target = form.get("back") or "/review"
    if not target.startswith("/") or target.startswith("//"):  # only back to one of this site's own pages
        target = "/review"
    path, _, anchor = target.partition("#")
    url = site.links.page(path, **params)
    return Response.redirect(url + (f"#{anchor}" if anchor else ""))


def edit_routes(site: Site) -> list[tuple[str, Callable]]:
    """``POST /-/onrecord/fix``: only where the server allows editing (plugin config ``allow_edit``)."""
    if not site.allow_edit:
        return []

    async def fix(request: Any) -> Response:
        import asyncio

        if request.method != "POST":
            return Response.text("POST a correction form here", status=405)
        if not await site.can_edit(request):
            return Response.text("Sign in as an editor to correct the record (the sign-in link `onrecord serve "
                                 "--allow-edit` printed).", status=403)
        form = {k: v for k, v in (await request.post_vars()).items()}
        actor = "web:" + str(request.actor.get("id"))
        db = str(site.state.path)

        def work() -> str:
            return _fix(form, db, actor)

        try:
            said = await asyncio.get_running_loop().run_in_executor(getattr(site.datasette, "executor", None), work)
        except OnrecordError as err:
            return _back(site, request, form, error=str(err))
        return _back(site, request, form, fixed=said)

    return [(r"^/-/onrecord/fix$", fix)]
