"""A local HTTP server for the crawl tests: serves tests/fixtures/site plus misbehaving routes.

A `LocalServer` (crawler/testing/http_server.py): a thread of the test process on 127.0.0.1,
logging every path requested, so tests can assert what the crawler did and did not fetch.
"""
from __future__ import annotations

import gzip
import hashlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from crawler.testing.http_server import LocalServer, send

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
HUGE_BYTES = 300_000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
PDF = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".rss": "application/rss+xml",
          ".txt": "text/plain", ".gz": "application/x-gzip"}
REDIRECTS = {
    "/articles/moved.html": (301, "/articles/en-moved-target.html"),
    "/articles/loop-a.html": (302, "/articles/loop-b.html"),
    "/articles/loop-b.html": (302, "/articles/loop-a.html"),
    "/articles/to-metadata.html": (302, "http://169.254.169.254/latest/meta-data/"),
    "/articles/to-file.html": (302, "file:///etc/passwd"),
}
# path -> (content type, body): non-pages served as if they were HTML
FAKE_HTML = {
    "/articles/report.html": PDF,
    "/articles/photo.html": PNG,
    "/articles/empty.html": b"",
    "/articles/huge.html": b"<html><body><p>" + b"x" * HUGE_BYTES + b"</p></body></html>",
}


class FixtureServer(LocalServer):
    def __init__(self, site: Path = SITE):
        super().__init__()
        self.site = site
        self.conditional: list[str] = []  # paths requested with If-None-Match
        self.replacements: dict[bytes, bytes] = {}  # applied to served files (e.g. bump a lastmod)

    def respond(self, handler: BaseHTTPRequestHandler, path: str, hit: int) -> None:
        status, headers, body = self.route(path, hit)
        etag = handler.headers.get("If-None-Match")
        if etag:
            with self._lock:
                self.conditional.append(path)
            if status == 200 and headers.get("ETag") == etag:
                status, body = 304, b""
        send(handler, status, body, headers)

    def route(self, path: str, hit: int):
        if path in REDIRECTS:
            status, target = REDIRECTS[path]
            return status, {"Location": target if "://" in target else self.base + target}, b""
        if path in FAKE_HTML:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, FAKE_HTML[path]
        if path == "/articles/flaky.html" and hit == 1:
            return 500, {"Content-Type": "text/html"}, b"<html><body>temporary failure</body></html>"
        file = (self.site / path.lstrip("/")).resolve()
        if file.is_dir():
            file = file / "index.html"
        if self.site.resolve() not in file.parents or not file.is_file():
            return 404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>"
        body = file.read_bytes()
        if file.suffix == ".gz":
            body = gzip.compress(gzip.decompress(body).replace(b"__BASE_URL__", self.base.encode()), mtime=0)
        else:
            body = body.replace(b"__BASE_URL__", self.base.encode())
            for old, new in self.replacements.items():
                body = body.replace(old, new)
        headers = {"Content-Type": _TYPES.get(file.suffix, "application/octet-stream")}
        if file.suffix == ".html":
            headers["ETag"] = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        return 200, headers, body
