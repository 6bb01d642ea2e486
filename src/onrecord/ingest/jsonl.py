"""JSON Lines: one article per line, ``{"text": ..., "url": ..., "title": ..., "published": ..., "outlet": ...}``.

``author`` and ``language`` are read too; a line with ``html`` instead of
``text`` goes through the HTML extractor.  A bad line is reported with its
line number and the rest of the file is read.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import BinaryIO, Iterator

from ..errors import InputError
from .html import html_article
from .items import Failure, IngestOptions, Item, RawArticle, bounded_lines
from .text import FIELDS, meta_from


def read_jsonl(stream: BinaryIO, *, origin: str, options: IngestOptions) -> Iterator[Item]:
    """One item per line; a bad line, of whatever kind, is one Failure and the next line is read."""
    for line in bounded_lines(stream, options.max_page_bytes):
        where = f"{origin}:{line.number}"
        if line.data is None:
            yield Failure(where, f"a {line.length / 1e6:.1f} MB line is larger than the "
                                 f"{options.max_page_bytes / 1e6:.1f} MB page limit; skipped")
            continue
        if not line.data.strip():
            continue
        try:
            yield _item(line.data, where, options)
        except InputError as err:
            yield Failure(where, str(err).removeprefix(f"{err.source}: "))
        except (ValueError, RecursionError, TypeError) as err:  # a value no reader expected: this line only
            yield Failure(where, f"cannot be read ({err.__class__.__name__}: {str(err)[:160]})")


def _item(raw: bytes, where: str, options: IngestOptions) -> Item:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        return Failure(where, f"is not valid UTF-8 (bad byte at offset {err.start} of the line)")
    except RecursionError:
        return Failure(where, "is nested too deeply to be a news item")
    except ValueError as err:
        return Failure(where, f"is not valid JSON ({str(err)[:160]}); each line must be one JSON object")
    if not isinstance(obj, dict):
        return Failure(where, f"is a JSON {type(obj).__name__}, not an object with a 'text' field")
    fields = {FIELDS[k.lower()]: v for k, v in obj.items() if isinstance(k, str) and k.lower() in FIELDS}
    meta = meta_from(fields, origin=where)
    if meta.url:  # provenance and messages name the article's address when it has one
        meta = replace(meta, origin=meta.url)
    text, page = obj.get("text"), obj.get("html")
    if isinstance(text, str):
        return RawArticle(text, meta)
    if isinstance(page, str):
        return html_article(page.encode("utf-8", "replace"), origin=meta.origin, url=meta.url,
                            limit=options.max_page_bytes, defaults=meta)
    return Failure(where, "has no 'text' (or 'html') field holding a string")
