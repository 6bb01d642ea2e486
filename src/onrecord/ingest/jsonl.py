"""JSON Lines: one article per line, ``{"text": ..., "url": ..., "title": ..., "published": ..., "outlet": ...}``.

``author`` and ``language`` are read too; a line with ``html`` instead of
``text`` goes through the HTML extractor.  A bad line is reported with its
line number and the rest of the file is read.
"""

from __future__ import annotations

import json
from typing import BinaryIO, Iterator

from ..errors import InputError
from .html import html_article
from .items import Failure, IngestOptions, Item, RawArticle
from .text import FIELDS, meta_from


def read_jsonl(stream: BinaryIO, *, origin: str, options: IngestOptions) -> Iterator[Item]:
    for lineno, raw in enumerate(stream, 1):
        where = f"{origin}:{lineno}"
        if not raw.strip():
            continue
        if len(raw) > options.max_page_bytes:
            yield Failure(where, f"a {len(raw) / 1e6:.1f} MB line is larger than the page limit; skipped")
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as err:
            yield Failure(where, f"is not valid UTF-8 (bad byte at offset {err.start} of the line)")
            continue
        except ValueError as err:
            yield Failure(where, f"is not valid JSON ({err}); each line must be one JSON object")
            continue
        if not isinstance(obj, dict):
            yield Failure(where, f"is a JSON {type(obj).__name__}, not an object with a 'text' field")
            continue
        fields = {FIELDS[k.lower()]: v for k, v in obj.items() if isinstance(k, str) and k.lower() in FIELDS}
        meta = meta_from(fields, origin=str(fields.get("url") or where))
        text, page = obj.get("text"), obj.get("html")
        try:
            if isinstance(text, str):
                yield RawArticle(text, meta)
            elif isinstance(page, str):
                yield html_article(page.encode("utf-8", "replace"), origin=meta.origin, url=meta.url,
                                   limit=options.max_page_bytes, defaults=meta)
            else:
                yield Failure(where, "has no 'text' (or 'html') field holding a string")
        except InputError as err:
            yield Failure(where, str(err).removeprefix(f"{meta.origin}: "))
