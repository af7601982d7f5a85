"""A URL given to the normaliser: fetched with httpx under the crawler's address rule."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from crawler.testing.http_server import LocalServer, StaticServer, send
from normalise.fetch import FetchRefused, fetch_document
from normalise.net_guard import refusal

REPO = Path(__file__).resolve().parents[2]
PAGE = (b"<html><head><meta charset='utf-8'><title>Talks resume</title></head><body><article><h1>Talks resume</h1>"
        b"<p>Delegations met in Kiev on Tuesday to resume talks on a prisoner exchange, officials said.</p>"
        b"</article></body></html>")


class Redirector(LocalServer):
    def __init__(self, target: str):
        super().__init__()
        self.target = target

    def respond(self, handler: BaseHTTPRequestHandler, path: str, hit: int) -> None:
        send(handler, 302, headers={"Location": self.target})


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1/x", "private or reserved"),
    ("http://[::ffff:169.254.169.254]/latest/", "private or reserved"),
    ("http://localhost:8080/", "this machine"),
    ("http://10.1.2.3/admin", "private or reserved"),
    ("file:///etc/passwd", "only http and https"),
])
def test_private_and_non_http_targets_are_refused(url, reason):
    assert reason in (refusal(url) or "")


def test_a_private_page_is_refused_unless_allowed_and_so_is_a_redirect_to_one():
    with StaticServer({"/page": ("text/html; charset=utf-8", PAGE)}) as site:
        with pytest.raises(FetchRefused, match="refused: 127.0.0.1 is a private"):
            fetch_document(f"{site.base}/page", allow=())
        assert site.fetched("/page") == 0  # refused before any byte was sent
        doc = fetch_document(f"{site.base}/page", allow=[f"127.0.0.1:{site.port}"], lang="en")
        assert doc.html == PAGE and doc.url == f"{site.base}/page" and doc.lang == "en"
        assert doc.content_type == "text/html; charset=utf-8"
        with Redirector(f"{site.base}/page") as hop:
            with pytest.raises(FetchRefused, match=f"127.0.0.1:{site.port}/page: refused"):
                fetch_document(f"{hop.base}/go", allow=[f"127.0.0.1:{hop.port}"])
        assert site.fetched("/page") == 1  # the redirect target was never contacted


def _cli(url: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWS_")}
    return subprocess.run([sys.executable, "-m", "normalise", "--no-translate", url], cwd=REPO, capture_output=True,
                          text=True, env={**clean, **env}, timeout=300)


def test_the_cli_normalises_a_url_and_records_a_refusal():
    with StaticServer({"/page": ("text/html; charset=utf-8", PAGE)}) as site:
        ok = _cli(f"{site.base}/page", NEWS_PRIVATE_ALLOWLIST=f"127.0.0.1:{site.port}")
        refused = _cli(f"{site.base}/page")
    [record] = [json.loads(line) for line in ok.stdout.splitlines() if line.strip()]
    assert record["error"] is None, ok.stderr[-2000:]
    assert record["url"] == f"{site.base}/page" and "Kyiv" in record["text_en"]
    [failed] = [json.loads(line) for line in refused.stdout.splitlines() if line.strip()]
    assert failed["error"]["code"] == "fetch_failed" and "private" in failed["error"]["message"]
    assert "1 failed" in refused.stderr and refused.returncode == 3
