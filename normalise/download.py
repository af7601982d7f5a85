"""Every HTTP download outside Scrapy goes through here (httpx): time limits, a size limit that
holds even when the server lies about (or leaves out) Content-Length, redirects followed, an
optional progress bar, and the SHA-256 of what arrived.

Nothing here runs unless a user asks for it (`models install --from-index`, a URL given to
`python -m normalise`): the normaliser itself never touches the network.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:  # imported where a download starts: reading local files need not load httpx
    import httpx

USER_AGENT = "news-ingest-normalise"
CONNECT_TIMEOUT = 10.0  # seconds to reach the server
READ_TIMEOUT = 60.0  # seconds without a byte before giving up
MAX_REDIRECTS = 5
_CHUNK = 1 << 16


class DownloadError(Exception):
    """The download failed: unreachable, an HTTP error, too large, or cut short. The message says which."""


@dataclass(frozen=True)
class Downloaded:
    url: str  # after redirects
    size: int
    sha256: str
    content_type: str | None


def client(timeout: float = READ_TIMEOUT) -> httpx.Client:
    import httpx

    return httpx.Client(timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT), follow_redirects=True,
                        max_redirects=MAX_REDIRECTS, headers={"User-Agent": USER_AGENT})


@contextmanager
def _response(http: httpx.Client | None, url: str) -> Iterator[httpx.Response]:
    import httpx

    own = http is None
    http = http or client()
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise DownloadError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            yield response
    except httpx.TooManyRedirects:
        raise DownloadError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException as exc:
        raise DownloadError(f"{url}: timed out ({type(exc).__name__})") from None
    except httpx.HTTPError as exc:
        raise DownloadError(f"{url}: {exc or type(exc).__name__}") from None
    finally:
        if own:
            http.close()


def _copy(response: httpx.Response, out: BinaryIO, url: str, max_bytes: int, progress: bool) -> Downloaded:
    declared = response.headers.get("Content-Length")
    total = int(declared) if declared and declared.isdigit() else None
    if total is not None and total > max_bytes:
        raise DownloadError(f"{url}: {total} bytes is over the {max_bytes}-byte limit")
    digest, size = hashlib.sha256(), 0
    from tqdm import tqdm

    with tqdm(total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1][:40], file=sys.stderr,
              disable=not progress) as bar:
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise DownloadError(f"{url}: more than the {max_bytes}-byte limit arrived")
            digest.update(chunk)
            out.write(chunk)
            bar.update(len(chunk))
    if total is not None and size != total:
        raise DownloadError(f"{url}: cut short ({size} of {total} bytes)")
    return Downloaded(str(response.url), size, digest.hexdigest(), response.headers.get("Content-Type"))


def download_to(url: str, path: Path, *, max_bytes: int, progress: bool = False,
                http: httpx.Client | None = None) -> Downloaded:
    """Stream `url` into `path` (removed again when the download fails)."""
    try:
        with _response(http, url) as response, open(path, "wb") as out:
            return _copy(response, out, url, max_bytes, progress)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def download_bytes(url: str, *, max_bytes: int, http: httpx.Client | None = None) -> tuple[bytes, Downloaded]:
    """`url`'s body in memory (small documents: an index, one page)."""
    import io

    buffer = io.BytesIO()
    with _response(http, url) as response:
        info = _copy(response, buffer, url, max_bytes, progress=False)
    return buffer.getvalue(), info
