"""A generated news site on 127.0.0.1 for crawl tests and the ingestion benchmark.

N articles (own invented text), a sitemap with lastmod, an RSS feed and robots.txt. Articles
carry ETag and Last-Modified and answer 304 to a matching conditional GET. Every article
request is counted per path and per User-Agent, so tests can prove "fetched exactly once".
`version[i]` changes article i's text (and its ETag / lastmod) to provoke a revision.

Page styles (`pages=`): "small" (default: a title and four generated sentences, ~1 KB; the crawl
tests), "realistic" (news_pages.py: 50-300 KB pages with full site chrome,
varied stories and a few syndicated copies; the ingestion benchmark), or a list of HTML pages
to serve as articles 0..n-1 (real third-party pages read at run time by bench/ingestion.py,
never stored in the repository).
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from crawler.testing import news_pages
from crawler.testing.http_server import LocalServer, send

_TOPICS = ["harbour", "railway", "orchard", "library", "festival", "bridge", "school", "market", "museum", "dam"]
_TOWNS = ["Osterby", "Kelmore", "Vantaa Bay", "Lindqvist", "Port Arne", "Hollin", "Merrow", "Tarsk"]
_VERBS = ["reopened", "was expanded", "won new funding", "faced delays", "was evaluated", "drew record crowds"]


def article_text(i: int, version: int = 0) -> list[str]:
    topic, town, verb = _TOPICS[i % len(_TOPICS)], _TOWNS[(i // 3) % len(_TOWNS)], _VERBS[(i // 7) % len(_VERBS)]
    paras = [
        f"The {topic} in {town} {verb} this week, officials said on Monday, in report number {i}.",
        f"Local residents told our reporter that the {topic} had been a matter of debate for {3 + i % 9} years, "
        f"and that council meeting {i * 7 % 101} had been unusually long.",
        f"A spokesperson for the regional authority said a decision on the next phase of the {topic} project "
        f"would follow before the end of the quarter, with costs estimated at {10 + i % 50} million.",
        f"Critics in {town} argued that the money could be better spent elsewhere, while supporters pointed to "
        f"the {3 + i % 4} hundred jobs the work is expected to bring to the area around story {i}.",
    ]
    if version:
        paras.append(f"Correction {version}: an earlier version of this article misstated the figures for {town}.")
    return paras


class FixtureSite(LocalServer):
    def __init__(self, articles: int = 40, delay: float = 0.0, lastmod: str = "2024-05-01T08:00:00+00:00",
                 pages: str | Sequence[bytes] = "small"):
        if isinstance(pages, str) and pages not in ("small", "realistic"):
            raise ValueError(f"pages must be 'small', 'realistic' or a list of HTML pages, got {pages!r}")
        if not isinstance(pages, str) and articles > len(pages):
            raise ValueError(f"{articles} articles asked for, but only {len(pages)} pages given")
        self.pages = pages
        self._generated: dict[tuple, bytes] = {}
        self.articles = articles
        self.delay = delay  # seconds per article response (to make a crawl last long enough to kill)
        self.lastmod = lastmod
        self.version: dict[int, int] = {}  # text changes: new ETag and newer lastmod
        self.touched: dict[int, int] = {}  # lastmod moves on, text and ETag stay: a 304 case
        self.not_modified: Counter = Counter()
        self.by_agent: Counter = Counter()
        # User-Agents that must each have asked for an article before any article is answered
        # (a test of crawlers sharing one queue: the first one up cannot take everything).
        self.hold_articles_for: set[str] = set()
        self.hold_timeout = 120.0
        self._arrived = threading.Condition()
        self._agents_arrived: set[str] = set()
        self.sitemap_hits = 0
        self.robots = b"User-agent: *\nAllow: /\n"
        super().__init__()  # `hits`: path -> article responses (200 or 304)

    # -- content ---------------------------------------------------------------------------------
    def article_url(self, i: int) -> str:
        return f"{self.base}/news/story-{i}.html"

    def etag(self, i: int) -> str:
        return f'"s{i}v{self.version.get(i, 0)}"'

    def article_lastmod(self, i: int) -> str:
        v = self.version.get(i, 0) + self.touched.get(i, 0)
        return self.lastmod if not v else f"2024-06-{v:02d}T08:00:00+00:00"

    def article(self, i: int) -> bytes:
        if not isinstance(self.pages, str):
            return self.pages[i]
        if self.pages == "realistic":
            # Cached: generating a 150 KB page costs ms of CPU the crawl under test would compete with.
            key = (i, self.version.get(i, 0), self.base)
            if key not in self._generated:
                self._generated[key] = news_pages.page_html(i, self.article_url(i), version=key[1])
            return self._generated[key]
        paras = "".join(f"<p>{p}</p>" for p in article_text(i, self.version.get(i, 0)))
        return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story {i}</title>"
                f"<link rel=\"canonical\" href=\"{self.article_url(i)}\">"
                f"<meta property=\"article:published_time\" content=\"2024-05-01T0{i % 10}:00:00Z\"></head><body>"
                f"<nav><a href=\"/\">The Fixture Times</a></nav><article><h1>Story {i}</h1>{paras}</article>"
                f"<footer>The Fixture Times</footer></body></html>").encode()

    def sitemap(self) -> bytes:
        # lastmod=None: a sitemap without dates (like a feed or section page, it says nothing of edits)
        urls = "".join(f"<url><loc>{self.article_url(i)}</loc>"
                       + (f"<lastmod>{self.article_lastmod(i)}</lastmod>" if self.lastmod else "") + "</url>"
                       for i in range(self.articles))
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{urls}</urlset>").encode()

    def seeds(self, directory: Path, source: str = "fixture") -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{source}.toml").write_text(
            f'id = "{source}"\nname = "The Fixture Times"\nhome = "{self.base}/"\nallowed_domains = ["127.0.0.1"]\n'
            f'languages = ["en"]\nsitemaps = ["{self.base}/sitemap.xml"]\n'
            f"article_patterns = ['^http://127\\.0\\.0\\.1:\\d+/news/story-\\d+\\.html$']\n"
            f"interval_minutes = 5\nneeds_network = false\n", encoding="utf-8")
        return directory

    # -- server ----------------------------------------------------------------------------------
    def counted(self, path: str) -> bool:
        """Only article responses count in `hits` (and `article_hits`)."""
        return self._article_index(path) is not None

    def _article_index(self, path: str) -> int | None:
        if not (path.startswith("/news/story-") and path.endswith(".html")):
            return None
        try:
            i = int(path[len("/news/story-"):-len(".html")])
        except ValueError:
            return None
        return i if 0 <= i < self.articles else None

    def respond(self, handler: BaseHTTPRequestHandler, path: str, hit: int) -> None:
        if path == "/robots.txt":
            return send(handler, 200, self.robots, {"Content-Type": "text/plain"})
        if path == "/sitemap.xml":
            with self._lock:
                self.sitemap_hits += 1
            return send(handler, 200, self.sitemap(), {"Content-Type": "application/xml"})
        i = self._article_index(path)
        if i is None:
            return send(handler, 404, b"not found", {"Content-Type": "text/html; charset=utf-8"})
        self._hold(handler.headers.get("User-Agent", ""))
        if self.delay:
            time.sleep(self.delay)
        etag = self.etag(i)
        conditional = handler.headers.get("If-None-Match") == etag
        with self._lock:
            self.by_agent[handler.headers.get("User-Agent", "")] += 1
            if conditional:
                self.not_modified[path] += 1
        if conditional:
            return send(handler, 304, headers={"ETag": etag})
        last_modified = formatdate(1714550400 + 86400 * self.version.get(i, 0), usegmt=True)
        return send(handler, 200, self.article(i), {"Content-Type": "text/html; charset=utf-8", "ETag": etag,
                                                    "Last-Modified": last_modified})

    def _hold(self, agent: str) -> None:
        if not self.hold_articles_for:
            return
        with self._arrived:
            self._agents_arrived.add(agent)
            self._arrived.notify_all()
            self._arrived.wait_for(lambda: self.hold_articles_for <= self._agents_arrived, timeout=self.hold_timeout)

    def article_hits(self) -> int:
        with self._lock:
            return sum(self.hits.values())
