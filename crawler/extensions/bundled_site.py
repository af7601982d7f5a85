"""Serve a bundled static site (crawler/<bundled_site>/) on 127.0.0.1 while the crawl runs.

This is what makes `scrapy crawl news -a source=demo` work with no network: when a selected
source declares `bundled_site`, the site is served before the first request and stopped at
close. The site keeps the URLs of its seeds file (`home`), whatever port this process serves it
on: requests reach the process's own server as through a proxy, so several crawl processes
sharing one Redis queue agree on every URL and store each article once. Files may contain
`__BASE_URL__`, replaced by that seeds-file base URL. NEWS_BUNDLED_SITE_PORT picks the port
(default: the seeds file's `bundled_port`, or any free port when it is busy).
"""
from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import reactor
from twisted.internet.error import CannotListenError
from twisted.web.resource import Resource
from twisted.web.server import Site

from crawler import defaults
from crawler.runtime import private_allowlist

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parents[1]
PLACEHOLDER = b"__BASE_URL__"
_TEXT_SUFFIXES = {".html", ".xml", ".rss", ".txt", ".atom"}
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".rss": "application/rss+xml",
          ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf"}


class StaticSite(Resource):
    isLeaf = True

    def __init__(self, root: Path, base_url: str):
        super().__init__()
        self.root = root.resolve()
        self.base_url = base_url.encode()

    def render_GET(self, request):
        # A proxied request names the whole URL ("GET http://127.0.0.1:8765/a.html"): serve its path.
        target = request.uri.decode("latin-1")
        path_only = urlsplit(target).path if "://" in target else target.split("?", 1)[0]
        parts = [unquote(p) for p in path_only.split("/") if p]
        path = self.root.joinpath(*parts).resolve()
        if path.is_dir():
            path = path / "index.html"
        if self.root not in path.parents or not path.is_file():  # no escaping the site directory
            request.setResponseCode(404)
            request.setHeader(b"Content-Type", b"text/html; charset=utf-8")
            return b"<html><body><h1>404 Not Found</h1></body></html>"
        body = path.read_bytes()
        if path.suffix in _TEXT_SUFFIXES:
            body = body.replace(PLACEHOLDER, self.base_url)
        ctype = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        request.setHeader(b"Content-Type", ctype.encode())
        return body


class BundledSiteServer:
    def __init__(self, crawler):
        self.crawler = crawler
        self.port_override = crawler.settings.get("NEWS_BUNDLED_SITE_PORT", defaults.NEWS_BUNDLED_SITE_PORT)
        self.listening = []
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWS_BUNDLED_SITES_ENABLED", defaults.NEWS_BUNDLED_SITES_ENABLED):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self, spider):
        for source in getattr(spider, "sources", {}).values():
            if not source.bundled_site:
                continue
            root = PACKAGE_DIR / source.bundled_site
            if not root.is_dir():
                log.error("source %s: bundled site %s does not exist", source.id, root)
                continue
            port = int(self.port_override) if self.port_override not in (None, "") else source.bundled_port
            canonical = urlsplit(source.home)
            resource = StaticSite(root, f"{canonical.scheme}://{canonical.netloc}")
            try:
                listener = reactor.listenTCP(port, Site(resource), interface="127.0.0.1")
            except CannotListenError as exc:
                # Still run the demo, on a free port; its pages get URLs under that port instead.
                log.info("port %s is busy (%s: another crawl process serving it?); serving %s on a free "
                         "port, under the same URLs", port, exc.socketError, source.id)
                listener = reactor.listenTCP(0, Site(resource), interface="127.0.0.1")
            actual = listener.getHost().port
            base = f"http://127.0.0.1:{actual}/"
            spider.bundled_base_urls[source.id] = base
            allow = private_allowlist(self.crawler)
            allow.add(f"127.0.0.1:{actual}")
            allow.add(f"{(canonical.hostname or '').lower()}:{canonical.port or 80}")
            self.listening.append(listener)
            log.info("serving bundled site %s for source %s at %s", root.name, source.id, base)

    def spider_closed(self, spider):
        for listener in self.listening:
            listener.stopListening()
        self.listening.clear()
