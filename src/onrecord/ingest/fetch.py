"""Fetching URLs with httpx: timeouts, redirects, a size limit, clear messages, a few at a time."""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, TypeVar

import httpx

from ..errors import InputError
from .items import IngestOptions

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # media type only, lower case ("text/html")
    data: bytes


class Fetcher:
    """One HTTP client (connection pooling) for a whole run; ``fetch`` raises InputError, never httpx errors."""

    def __init__(self, options: IngestOptions, *, transport: httpx.BaseTransport | None = None) -> None:
        self.options = options
        self.client = httpx.Client(
            timeout=httpx.Timeout(options.timeout),
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,"
                     "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"},
            transport=transport,
        )

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str) -> Fetched:
        """The body at ``url``, read within ``timeout`` seconds in all (a server trickling a byte a second is
        stopped then) and refused when shorter than the Content-Length the server announced."""
        limit = self.options.max_page_bytes
        deadline = time.monotonic() + self.options.timeout
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise InputError(f"the server answered HTTP {response.status_code} {response.reason_phrase}",
                                     source=url)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise InputError(f"is {int(declared) / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB page limit",
                                     source=url)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:  # servers may lie about, or omit, the length
                        raise InputError(f"is larger than the {limit / 1e6:.1f} MB page limit; stopped reading",
                                         source=url)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("total deadline")
                if declared.isdigit() and response.num_bytes_downloaded < int(declared):
                    raise InputError(f"is cut short: the server announced {int(declared):,} bytes and sent "
                                     f"{response.num_bytes_downloaded:,}; nothing was stored", source=url)
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return Fetched(str(response.url), ctype, bytes(body))
        except httpx.TimeoutException:
            raise InputError(f"timed out after {self.options.timeout:g} s; retry later or raise --timeout",
                             source=url) from None
        except (ValueError, UnicodeError) as err:  # an address httpx cannot even parse
            raise InputError(f"is not a usable http(s) URL ({str(err)[:120]})", source=url) from None
        except httpx.TooManyRedirects:
            raise InputError("redirects too many times", source=url) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as err:
            raise InputError(f"is not a usable http(s) URL ({err})", source=url) from None
        except httpx.HTTPError as err:
            raise InputError(f"cannot be fetched ({err.__class__.__name__}: {err or 'connection failed'})",
                             source=url) from None


def bounded_map(fn: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[Future]:
    """Futures of ``fn(item)`` in input order, with at most ``2 * workers`` running or waiting ahead.

    ``Executor.map`` would submit every URL at once and hold every page in
    memory while extraction, far slower than fetching, catches up.
    """
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="onrecord-fetch") as pool:
        window: deque[Future] = deque()
        for item in items:
            window.append(pool.submit(fn, item))
            if len(window) >= 2 * workers:
                yield window.popleft()
        while window:
            yield window.popleft()
