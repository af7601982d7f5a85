"""Downloads outside Scrapy (httpx): size limits hold whatever the server says, failures are named."""
from __future__ import annotations

import hashlib
from http.server import BaseHTTPRequestHandler

import pytest

from crawler.testing.http_server import LocalServer, StaticServer, send
from normalise.download import DownloadError, download_bytes, download_to

BODY = b"x" * 10_000


class LyingServer(LocalServer):
    """/short declares more bytes than it sends; /unsized sends no Content-Length; /moved redirects."""

    def respond(self, handler: BaseHTTPRequestHandler, path: str, hit: int) -> None:
        if path == "/moved":
            return send(handler, 302, headers={"Location": f"{self.base}/unsized"})
        handler.send_response(200)
        if path == "/short":
            handler.send_header("Content-Length", str(len(BODY) * 2))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(BODY)
        handler.close_connection = True


def test_a_file_arrives_whole_with_its_checksum(tmp_path):
    with StaticServer({"/f": ("application/octet-stream", BODY)}) as server:
        got = download_to(f"{server.base}/f", tmp_path / "f", max_bytes=len(BODY))
    assert (tmp_path / "f").read_bytes() == BODY
    assert got.size == len(BODY) and got.sha256 == hashlib.sha256(BODY).hexdigest()


def test_the_size_limit_holds_with_and_without_content_length(tmp_path):
    with StaticServer({"/f": ("application/octet-stream", BODY)}) as server, LyingServer() as liar:
        with pytest.raises(DownloadError, match="over the 100-byte limit"):
            download_to(f"{server.base}/f", tmp_path / "f", max_bytes=100)
        with pytest.raises(DownloadError, match="more than the 100-byte limit arrived"):
            download_bytes(f"{liar.base}/unsized", max_bytes=100)
    assert not (tmp_path / "f").exists()  # nothing half-written is left behind


def test_failures_are_named(tmp_path):
    with StaticServer() as server, LyingServer() as liar:
        with pytest.raises(DownloadError, match="HTTP 404"):
            download_bytes(f"{server.base}/missing", max_bytes=100)
        with pytest.raises(DownloadError):  # the server closes before the declared length arrived
            download_to(f"{liar.base}/short", tmp_path / "s", max_bytes=10 * len(BODY))
        body, info = download_bytes(f"{liar.base}/moved", max_bytes=len(BODY))
    assert body == BODY and info.url.endswith("/unsized")
    with pytest.raises(DownloadError):
        download_bytes("http://127.0.0.1:1/nothing-listens", max_bytes=100)
