"""Plain text articles, with metadata from an optional header block or a sidecar JSON file.

A header is a block of ``Key: value`` lines at the very top, ended by a blank
line, using only these keys (any case)::

    Title: Harbour deal agreed
    URL: https://gazette.example/harbour
    Outlet: The Gazette
    Published: 2024-03-05

The stored text (and every offset) starts after that blank line.  A sidecar
``<name>.meta.json`` or ``<name>.json`` next to ``<name>.txt`` holds the same
keys as a JSON object and wins over the header.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping

from ..analysis import ArticleMeta
from ..documents import decode, read_bytes
from ..errors import InputError
from .items import IngestOptions, RawArticle
from .meta import clean, clean_url, iso_published, outlet_from_url

FIELDS = {"title": "title", "url": "url", "link": "url", "outlet": "outlet", "source": "outlet", "site": "outlet",
          "author": "author", "byline": "author", "published": "published", "date": "published",
          "language": "language", "lang": "language"}
_HEADER_LINE = re.compile(r"^([A-Za-z]+):[ \t]*(.*?)[ \t]*$")


def split_header(text: str) -> tuple[dict[str, str], str]:
    """(metadata, body); a text without a valid header comes back whole."""
    fields: dict[str, str] = {}
    pos = 0
    while True:
        end = text.find("\n", pos)
        if end < 0:
            return {}, text  # never reached the blank line: not a header
        line = text[pos:end].rstrip("\r")
        if not line.strip():
            break
        match = _HEADER_LINE.match(line)
        if not match or match.group(1).lower() not in FIELDS:
            return {}, text
        fields[FIELDS[match.group(1).lower()]] = match.group(2)
        pos = end + 1
    if not fields:
        return {}, text
    body = text[end + 1:]
    return fields, body.lstrip("\r\n")


def meta_from(fields: Mapping[str, Any], *, origin: str, name: str | None = None) -> ArticleMeta:
    url = clean_url(fields.get("url"))
    return ArticleMeta(
        origin=origin,
        url=url,
        outlet=clean(fields.get("outlet")) or outlet_from_url(url),
        title=clean(fields.get("title")),
        author=clean(fields.get("author")),
        published=iso_published(fields.get("published")),
        language=clean(fields.get("language")),
        name=name,
    )


def _sidecar(path: Path) -> dict[str, Any]:
    for candidate in (path.with_name(path.stem + ".meta.json"), path.with_suffix(".json")):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise InputError(f"its metadata file {candidate.name} is not valid JSON ({err})",
                                 source=str(path)) from None
            if not isinstance(data, dict):
                raise InputError(f"its metadata file {candidate.name} must hold a JSON object", source=str(path))
            return {FIELDS[k.lower()]: v for k, v in data.items() if k.lower() in FIELDS}
    return {}


def text_article(data: bytes, *, origin: str, options: IngestOptions, path: Path | None = None) -> RawArticle:
    text = decode(data, origin=origin, max_bytes=options.max_bytes)
    fields, body = split_header(text)
    if path is not None:
        fields.update(_sidecar(path))
    if not body.strip():
        raise InputError("has a metadata header but no article text after it", source=origin)
    name = path.stem if path is not None else None
    return RawArticle(body, meta_from(fields, origin=origin, name=name))


def read_text_file(path: Path, options: IngestOptions) -> RawArticle:
    data = read_bytes(path, max_bytes=options.max_bytes)
    return text_article(data, origin=str(path), options=options, path=path)
