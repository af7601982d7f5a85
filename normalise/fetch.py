"""One page fetched for `python -m normalise https://...`: httpx, under the crawler's address rule.

Every request, the first and each redirect, is checked by normalise/net_guard.py before it is
sent: a URL (or a redirect) to a private, loopback or link-local address is refused with the
reason, unless its "host:port" is allowed (NEWS_PRIVATE_ALLOWLIST, comma-separated, as for the
crawler). The page's size is capped like any input; its bytes go to the normaliser as fetched
(charset from the Content-Type header, else from the page).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (annotations only: httpx is imported by download.py when a fetch starts)
    import httpx

from normalise.download import DownloadError, client, download_bytes
from normalise.inputs import InputDocument
from normalise.net_guard import refusal

MAX_PAGE_BYTES = 20 << 20  # the crawler's own page limit is lower; a pasted URL may be a long page


class FetchRefused(DownloadError):
    """The URL, or a redirect, leads to an address this process must not reach."""


def is_url(argument: str) -> bool:
    return argument.lower().startswith(("http://", "https://"))


def allowlist_from_env() -> frozenset[str]:
    raw = os.environ.get("NEWS_PRIVATE_ALLOWLIST", "")
    return frozenset(entry.strip().lower() for entry in raw.split(",") if entry.strip())


def _guard(allow: Collection[str]) -> Callable[[httpx.Request], None]:
    def check(request: httpx.Request) -> None:
        if f"{request.url.host}:{request.url.port or (443 if request.url.scheme == 'https' else 80)}" in allow:
            return
        why = refusal(str(request.url))
        if why is not None:
            raise FetchRefused(f"{request.url}: refused: {why}")
    return check


def fetch_document(url: str, *, lang: str | None = None, source: str | None = None,
                   allow: Collection[str] | None = None, max_bytes: int = MAX_PAGE_BYTES) -> InputDocument:
    """The page at `url` as an InputDocument; raises DownloadError (FetchRefused when the address
    rule refused the URL or a redirect) with the reason. `allow`: "host:port" entries let
    through although private (default: NEWS_PRIVATE_ALLOWLIST)."""
    allowed = allowlist_from_env() if allow is None else frozenset(a.lower() for a in allow)
    with client() as http:
        http.event_hooks["request"] = [_guard(allowed)]
        body, info = download_bytes(url, max_bytes=max_bytes, http=http)
    return InputDocument(id=url, html=body, url=info.url, lang=lang, source=source, content_type=info.content_type)
