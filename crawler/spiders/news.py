"""The one generic spider: `scrapy crawl news` (all enabled sources) or `-a source=ID[,ID...]`.

Articles are discovered from RSS/Atom feeds, sitemaps (indexes and Google News sitemaps,
keeping lastmod and publication_date) and section pages (links matching the source's
article patterns). Discovery pages are fetched on every run, whatever a job directory or a
shared Redis queue remembers (the HTTP cache makes that a conditional GET). Each article URL
is canonicalised and requested at most once per run; URLs already stored are refetched,
conditionally, when a sitemap lastmod or feed `updated` date is newer than what we know (see
`listed_as_changed`) or when the revisit schedule (NEWS_REVISIT_SCHEDULE, ages after first
storage) says to look again. Each source's discovered URLs per run are capped
(NEWS_MAX_URLS_PER_SOURCE; the rest wait for the next run). Every failure ends as a recorded skip.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.http import TextResponse

from crawler import defaults
from crawler.dates import aware_datetime
from crawler.discovery.feeds import parse_feed
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.sources import Source, SourceError, load_sources
from crawler.discovery.urls import canonical_url
from crawler.discovery.xmlsafe import FeedError
from crawler.items import RawPage
from crawler.net.failures import failure_reason
from crawler.runtime import record_skip, store_for

# Content types that are never article pages, whatever the URL looks like.
NON_PAGE_TYPES = ("application/pdf", "image/", "audio/", "video/", "application/zip", "application/octet-stream",
                  "font/", "application/json")
# Feeds and sitemaps are read before articles, so an article's request already carries its dates.
DISCOVERY_PRIORITY = 10
BUNDLED_SLOT = "bundled-site"  # download slot of the crawler's own demo server (no politeness delay)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def revisit_schedule(settings) -> tuple[timedelta, ...]:
    """NEWS_REVISIT_SCHEDULE: ages (seconds after first storage) at which a stored page is checked again."""
    ages = settings.getlist("NEWS_REVISIT_SCHEDULE", defaults.NEWS_REVISIT_SCHEDULE)
    return tuple(sorted(timedelta(seconds=float(age)) for age in ages))


def listed_as_changed(discovery: dict, state) -> bool:
    """True when a sitemap `lastmod` or a feed entry's `updated` date is later than what we know
    of the stored page: the last such date we saw (stored `lastmod`), or else when we fetched it."""
    listed = discovery.get("lastmod") or discovery.get("feed_updated")
    baseline = state.lastmod or state.fetched_at
    if not listed or not baseline:
        return False
    listed_at, known_at = aware_datetime(listed), aware_datetime(baseline)
    return bool(listed_at and known_at and listed_at > known_at)


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_arg = source
        self.sources: dict[str, Source] = {}
        self.source_errors: list[SourceError] = []
        self.selection_problems: list[tuple[str, str]] = []  # (reason, detail), recorded at start
        self.bundled_base_urls: dict[str, str] = {}  # source id -> base URL (set by BundledSiteServer)
        self._discoveries: dict[str, dict] = {}  # URL requested in this run -> discovery metadata (shared with it)
        self._seen_stored: set[str] = set()  # stored, unchanged URLs found in this run (counted once)
        self._seen_sitemaps: set[str] = set()
        self._discovered_per_source: dict[str, int] = {}  # article URLs held per source (capped)
        self._capped: set[str] = set()  # sources whose cap was reached in this run

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._select_sources(crawler.settings)
        crawler.signals.connect(spider._on_request_dropped, signal=signals.request_dropped)
        return spider

    def _on_request_dropped(self, request, spider=None):
        """The dupefilter drops a redirect to a URL this run already requested, without a trace;
        record it so the page that redirected is not silently lost (its target is fetched anyway)."""
        chain = request.meta.get("redirect_urls")
        if chain:
            record_skip(self.crawler, chain[0], request.meta.get("source"), "redirect_duplicate",
                        f"redirects to {request.url}, already requested in this run")

    # -- sources --------------------------------------------------------------------------------
    def _select_sources(self, settings) -> None:
        loaded = load_sources(Path(settings.get("NEWS_SEEDS_DIR", defaults.NEWS_SEEDS_DIR)))
        self.source_errors = loaded.errors
        for err in loaded.errors:
            self.logger.error("invalid source definition: %s", err)
        offline = settings.getbool("NEWS_SKIP_NETWORK_SOURCES", defaults.NEWS_SKIP_NETWORK_SOURCES)
        if self.source_arg:
            wanted = [s.strip() for s in self.source_arg.split(",") if s.strip()]
            for sid in wanted:
                if sid not in loaded.sources:
                    bad_file = any(Path(e.path).stem == sid for e in loaded.errors)
                    detail = (f"source {sid!r} is defined in an invalid seeds file (see the error above)"
                              if bad_file else f"no seeds file defines source {sid!r}; known: "
                              f"{', '.join(sorted(loaded.sources))}")
                    self.logger.error(detail)
                    self.selection_problems.append(("unknown_source", detail))
            chosen = [loaded.sources[sid] for sid in wanted if sid in loaded.sources]
        else:
            chosen = [s for s in loaded.sources.values() if s.enabled]
        for source in chosen:
            if offline and source.needs_network:
                detail = f"source {source.id} needs the network and NEWS_SKIP_NETWORK_SOURCES is set"
                self.logger.warning(detail)
                self.selection_problems.append(("network_disabled", detail))
                continue
            self.sources[source.id] = source
        self.allowed_domains = sorted({d for s in self.sources.values() for d in s.allowed_domains})

    def _revisit_requests(self, source: Source):
        """Conditional GETs for stored pages whose revisit time has come (edits to stories found only
        through feeds or section pages, which carry no change date, are caught this way)."""
        schedule = revisit_schedule(self.settings)
        if not schedule:
            return
        store = store_for(self.crawler)
        for page in store.revisits_due(source.id, datetime.now(timezone.utc), schedule):
            if not self._hold(page.canonical_url, source, {"via": "revisit"}):
                return
            headers = {}
            if page.etag:
                headers["If-None-Match"] = page.etag
            if page.last_modified:
                headers["If-Modified-Since"] = page.last_modified
            self.crawler.stats.inc_value("news/revisits")
            yield self._request(page.canonical_url, source, self.parse_article, headers=headers,
                                discovery=self._discoveries[page.canonical_url], handle_httpstatus_list=[304],
                                dont_cache=True)

    def _hold(self, url: str, source: Source, discovery: dict) -> bool:
        """Remember an article URL about to be requested, unless the source's per-run cap is reached
        (then the cap is recorded once and discovery for the source stops)."""
        held = self._discovered_per_source.get(source.id, 0)
        cap = self.settings.getint("NEWS_MAX_URLS_PER_SOURCE", defaults.NEWS_MAX_URLS_PER_SOURCE)
        if cap and held >= cap:
            if source.id not in self._capped:
                self._capped.add(source.id)
                record_skip(self.crawler, source.home, source.id, "discovery_capped",
                            f"{cap} article URLs discovered in this run (NEWS_MAX_URLS_PER_SOURCE); "
                            "the rest are left for the next run")
            return False
        self._discovered_per_source[source.id] = held + 1
        self._discoveries[url] = discovery
        return True

    async def start(self):
        for err in self.source_errors:
            record_skip(self.crawler, err.path, None, "invalid_source", str(err))
        for reason, detail in self.selection_problems:
            record_skip(self.crawler, self.source_arg or "*", None, reason, detail)
        if not self.sources:
            self.logger.warning("no sources to crawl")
            return
        for source in list(self.sources.values()):
            self.logger.info("crawling source %s (%s)", source.id, source.name)
            for request in self._revisit_requests(source):
                yield request
            for url in source.feeds:
                yield self._discovery_request(url, source, self.parse_feed, DISCOVERY_PRIORITY)
            for url in source.sitemaps:
                self._seen_sitemaps.add(canonical_url(url))
                yield self._discovery_request(url, source, self.parse_sitemap, DISCOVERY_PRIORITY, sitemap_depth=0)
            for url in source.sections:
                yield self._discovery_request(url, source, self.parse_section, DISCOVERY_PRIORITY - 1)

    # -- requests -------------------------------------------------------------------------------
    def _request(self, url: str, source: Source, callback, headers=None, priority: int = 0,
                 **meta) -> scrapy.Request:
        meta["source"] = source.id
        if source.id in self.bundled_base_urls:
            # The bundled site keeps its seeds-file URLs (so workers sharing a queue agree on them);
            # each crawl process reaches its own server through it, as through a proxy.
            meta.update(download_slot=BUNDLED_SLOT, autothrottle_dont_adjust_delay=True,
                        proxy=self.bundled_base_urls[source.id])
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, headers=headers,
                              priority=priority)

    def _discovery_request(self, url: str, source: Source, callback, priority: int, **meta) -> scrapy.Request:
        """Feeds, sitemaps and section pages: fetched on every run (never filtered as already seen by
        a job directory or a shared queue), conditionally through the HTTP cache."""
        request = self._request(url, source, callback, priority=priority, **meta)
        return request.replace(dont_filter=True)

    def _article_request(self, url: str, source: Source, discovery: dict) -> scrapy.Request | None:
        try:
            url = canonical_url(url)
        except ValueError:
            return None
        if not source.is_article_url(url):
            self.crawler.stats.inc_value("news/discovery/not_article")
            return None
        store = store_for(self.crawler)
        known = self._discoveries.get(url)
        if known is not None:
            # Found again (e.g. a section page first, the news sitemap later): keep every date we learn.
            for key, value in discovery.items():
                if value is not None and known.get(key) is None:
                    known[key] = value
            self._note_discovery(store, url, discovery)
            return None
        state = store.fetch_state(url)
        if state is not None and not listed_as_changed(discovery, state):
            if url not in self._seen_stored:
                self._seen_stored.add(url)
                self.crawler.stats.inc_value("news/already_stored")
            self._note_discovery(store, url, discovery)
            return None
        if not self._hold(url, source, discovery):
            return None
        headers = {}
        # Articles keep their own conditional-GET state in the store: the HTTP cache is for discovery.
        meta: dict[str, Any] = {"discovery": self._discoveries[url], "dont_cache": True}
        if state is not None:
            # Listed as changed since we stored it: ask the server, conditionally.
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
            meta["handle_httpstatus_list"] = [304]
        return self._request(url, source, self.parse_article, headers=headers, **meta)

    def _capped_source(self, source: Source) -> bool:
        return source.id in self._capped

    @staticmethod
    def _note_discovery(store, url: str, discovery: dict) -> None:
        """Dates learned after the page was stored still reach it (no refetch needed)."""
        for key, origin in (("publication_date", "sitemap_news"), ("feed_published", "feed")):
            if discovery.get(key):
                store.note_discovery(url, discovery.get("lastmod"), discovery[key], origin)
                return
        if discovery.get("lastmod"):
            store.note_discovery(url, discovery["lastmod"], None, "sitemap_lastmod")

    # -- callbacks ------------------------------------------------------------------------------
    def parse_feed(self, response):
        source = self.sources[response.meta["source"]]
        limit = self.settings.getint("NEWS_MAX_FEED_ENTRIES", defaults.NEWS_MAX_FEED_ENTRIES)
        try:
            for count, entry in enumerate(parse_feed(response.body, self._max_xml_bytes()), 1):
                if count > limit:
                    record_skip(self.crawler, response.url, source.id, "feed_truncated",
                                f"more than {limit} entries (NEWS_MAX_FEED_ENTRIES); the rest were not read")
                    return
                if self._capped_source(source):
                    return
                discovery = {"via": "feed", "from": response.url, "feed_published": entry.published,
                             "feed_updated": entry.updated, "feed_title": entry.title}
                request = self._article_request(urljoin(response.url, entry.link), source, discovery)
                if request:
                    yield request
        except FeedError as exc:
            record_skip(self.crawler, response.url, source.id, exc.code, f"feed: {exc}")

    def parse_sitemap(self, response):
        source = self.sources[response.meta["source"]]
        depth = response.meta.get("sitemap_depth", 0)
        limit = self.settings.getint("NEWS_MAX_URLS_PER_SITEMAP", defaults.NEWS_MAX_URLS_PER_SITEMAP)
        count = 0
        try:
            for entry in parse_sitemap(response.body, self._max_xml_bytes()):
                count += 1
                if self._capped_source(source):
                    return
                if count > limit:
                    record_skip(self.crawler, response.url, source.id, "sitemap_truncated",
                                f"more than {limit} entries; the rest were not read")
                    return
                loc = canonical_url(urljoin(response.url, entry.loc))
                if entry.kind == "sitemap":
                    yield from self._child_sitemap(loc, source, depth, response.url)
                    continue
                discovery = {"via": "sitemap", "from": response.url, "lastmod": entry.lastmod,
                             "publication_date": entry.publication_date, "news_title": entry.title,
                             "news_language": entry.language}
                request = self._article_request(loc, source, discovery)
                if request:
                    yield request
        except FeedError as exc:
            record_skip(self.crawler, response.url, source.id, exc.code, f"sitemap: {exc}")

    def _child_sitemap(self, loc: str, source: Source, depth: int, parent: str):
        if loc in self._seen_sitemaps:
            record_skip(self.crawler, loc, source.id, "sitemap_loop", f"listed again by {parent}")
            return
        if depth + 1 > self.settings.getint("NEWS_MAX_SITEMAP_DEPTH", defaults.NEWS_MAX_SITEMAP_DEPTH):
            record_skip(self.crawler, loc, source.id, "sitemap_too_deep", f"nested below {parent}")
            return
        if not source.in_domain(loc):
            record_skip(self.crawler, loc, source.id, "off_domain", f"sitemap listed by {parent}")
            return
        self._seen_sitemaps.add(loc)
        yield self._discovery_request(loc, source, self.parse_sitemap, DISCOVERY_PRIORITY, sitemap_depth=depth + 1)

    def parse_section(self, response):
        source = self.sources[response.meta["source"]]
        if not isinstance(response, TextResponse):
            record_skip(self.crawler, response.url, source.id, "not_html", "section page is not text")
            return
        for href in response.css("a::attr(href)").getall():
            if self._capped_source(source):
                return
            request = self._article_request(urljoin(response.url, href.strip()), source,
                                            {"via": "section", "from": response.url})
            if request:
                yield request

    def parse_article(self, response):
        source_id = response.meta["source"]
        if response.status == 304:
            self.crawler.stats.inc_value("news/not_modified")
            store_for(self.crawler).note_checked(response.url, _now())
            # Unchanged: remember the newer listed date so the next run does not ask again.
            discovery = response.meta.get("discovery", {})
            listed = discovery.get("lastmod") or discovery.get("feed_updated")
            if listed:
                origin = "sitemap_lastmod" if discovery.get("lastmod") else "feed_updated"
                store_for(self.crawler).note_discovery(response.url, listed, None, origin)
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        if content_type and content_type.lower().lstrip().startswith(NON_PAGE_TYPES):
            record_skip(self.crawler, response.url, source_id, "not_html", f"Content-Type {content_type}")
            return
        yield RawPage(
            url=response.request.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url,
            status=response.status,
            headers={k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            fetched_at=_now(),
            source=source_id,
            body=response.body,
            content_type=content_type,
            # The same dict the spider keeps: dates learned while the page is being normalised still land.
            discovery=response.meta.get("discovery", {}),
            redirect_urls=list(response.meta.get("redirect_urls", [])),
        )

    def on_error(self, failure):
        request = failure.request
        reason, detail = failure_reason(failure)
        limit = str(self.settings.getint("DOWNLOAD_MAXSIZE"))
        if reason == "too_large" and limit not in detail:
            detail += f" (DOWNLOAD_MAXSIZE {limit} B)"
        if reason == "http_304":
            self.crawler.stats.inc_value("news/not_modified")
            return
        # Record the URL as discovered (the start of a redirect chain), the chain is in `detail`.
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        record_skip(self.crawler, url, request.meta.get("source"), reason, detail)

    def _max_xml_bytes(self) -> int:
        return self.settings.getint("NEWS_MAX_XML_BYTES", defaults.NEWS_MAX_XML_BYTES)
