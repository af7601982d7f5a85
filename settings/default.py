"""Default Scrapy settings: embedded SQLite store, polite crawling, safe by default.

Select another module with SCRAPY_SETTINGS_MODULE (settings.test for the test suite;
settings.production, PostgreSQL + Redis, imports from here).
Environment variables: NEWS_DATA_DIR (default ./data), NEWS_STORE_URL (default
sqlite:///<data dir>/news.sqlite, or postgresql://USER@HOST/DB), NEWS_SEEDS_DIR,
NEWS_OFFLINE=1 (skip sources marked needs_network).
"""
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("NEWS_DATA_DIR", "data"))

BOT_NAME = "news"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # scrapy export / renormalise / schedule
USER_AGENT = "news-ingest/0.1 (multilingual news research crawler; obeys robots.txt)"

# -- sources and storage ----------------------------------------------------------------------
NEWS_SEEDS_DIR = os.environ.get("NEWS_SEEDS_DIR", str(PROJECT_DIR / "seeds"))
NEWS_STORE_URL = os.environ.get("NEWS_STORE_URL", f"sqlite:///{DATA_DIR / 'news.sqlite'}")
# `scrapy crawl news` runs every enabled source, including the ones marked needs_network;
# set NEWS_OFFLINE=1 (or this setting) to skip those, each recorded as a `network_disabled` skip.
NEWS_SKIP_NETWORK_SOURCES = os.environ.get("NEWS_OFFLINE", "") not in ("", "0")
# Normaliser settings, mapped onto normalise.config.NormaliserConfig (unknown keys are an error).
# Translation is on: without an installed Argos model blocks are marked untranslated, never lost.
NORMALISER = {"translate": True, "data_dir": str(DATA_DIR)}
NEWS_NORMALISE_BATCH = 16  # pages normalised together (translation batches across them)
# The normaliser runs in worker processes (off the reactor's GIL); 0 = in a thread of the crawl
# process instead (debugging: breakpoints and profilers see it). One per free core at most.
NEWS_NORMALISE_PROCESSES = 1
NEWS_NORMALISE_START_METHOD = "spawn"  # or "forkserver"; never "fork" (the reactor has threads)
NEWS_NORMALISE_MAX_WAIT = 0.05  # seconds a page waits for batch-mates while a worker is idle
# A dead worker process is restarted and the pages it took down are retried one at a time: only a
# page that kills it alone is a skip (`normaliser_crashed`). After more deaths in a row than this
# the crawl stops with close reason `normaliser_crashed`.
NEWS_NORMALISE_MAX_RESTARTS = 3
# Seconds of normaliser time a page may take (a stage covering a whole batch, translation, gets
# this once per page). A page past it has its worker replaced and becomes a `normalise_timeout`
# skip, its raw body kept in NEWS_KEPT_PAGES_DIR (default <data dir>/kept_pages) for
# `scrapy renormalise --kept-pages`; its batch-mates are sent again. 0 = no limit (required with
# NEWS_NORMALISE_PROCESSES = 0: a thread cannot be stopped).
NEWS_NORMALISE_PAGE_TIMEOUT = 30
NEWS_KEPT_PAGES_DIR = str(DATA_DIR / "kept_pages")
# Dotted path of the normaliser class (called with the NormaliserConfig). Test and debugging hook:
# leave None in production (normalise.pipeline.Normaliser).
NEWS_NORMALISE_FACTORY = None

# JSON Lines feed of every new or revised record (appended across runs).
FEEDS = {
    str(DATA_DIR / "records.jsonl"): {"format": "jsonlines", "encoding": "utf8", "overwrite": False},
}
FEED_STORE_EMPTY = False

# -- incremental crawling ----------------------------------------------------------------------
# Discovery pages (feeds, sitemaps, sections) are fetched every run; the HTTP cache below keeps
# their validators so an unchanged one costs a 304. Articles are never cached here: the store
# keeps their ETag / Last-Modified and decides what to refetch.
DUPEFILTER_CLASS = "crawler.discovery.seen.RunDupeFilter"  # one run's memory only, even with JOBDIR
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "crawler.discovery.revalidate.AlwaysRevalidatePolicy"
HTTPCACHE_STORAGE = "crawler.discovery.revalidate.BoundedFilesystemCacheStorage"
HTTPCACHE_DIR = str((DATA_DIR / "httpcache").resolve())
HTTPCACHE_GZIP = True
# Bounds on the cache directory, applied when a crawl opens: entries stored longer ago than this are
# deleted (a 304 does not renew one: an unchanged feed is fetched in full once per period), then the
# oldest until at most NEWS_HTTPCACHE_MAX_BYTES remain. 0 = no bound.
HTTPCACHE_EXPIRATION_SECS = 7 * 24 * 3600
NEWS_HTTPCACHE_MAX_BYTES = 1024 ** 3
# Stored articles are checked again (conditional GET) at these ages after they were first stored:
# stories are edited most in their first hours. Empty: never revisit.
NEWS_REVISIT_SCHEDULE = [3600, 6 * 3600, 24 * 3600, 3 * 24 * 3600]

# -- limits -------------------------------------------------------------------------------------
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # larger pages are cancelled and recorded as `too_large`
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
NEWS_MAX_XML_BYTES = 50 * 1024 * 1024  # sitemap/feed size after gunzip (gzip-bomb guard)
NEWS_MAX_URLS_PER_SITEMAP = 50_000  # the sitemap protocol's own limit
NEWS_MAX_SITEMAP_DEPTH = 3
# Article URLs one source may put in the queue per run (sitemap indexes can list millions); the
# rest are found again by the next run. Recorded as a `discovery_capped` skip.
NEWS_MAX_URLS_PER_SOURCE = 5000
NEWS_MAX_FEED_ENTRIES = 5000  # entries read from one feed; more is recorded as `feed_truncated`
REDIRECT_MAX_TIMES = 10

# -- safety: no requests to private/loopback/link-local addresses unless allowed ------------------
NEWS_ALLOW_PRIVATE_ADDRESSES = False
NEWS_PRIVATE_ALLOWLIST = []  # "host:port" entries; the bundled demo site adds its own at run time
NEWS_BUNDLED_SITE_PORT = None  # None: the port in the source's seeds file; 0: any free port

# -- politeness -----------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "crawler.net.robots.BoundedProtegoRobotParser"
CONCURRENT_REQUESTS = 16
# Items processed in parallel per response (Scrapy's default is 100): 4 was fastest in
# bench/ingestion.py (the sitemap's hundreds of requests otherwise crowd the reactor).
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 2  # 500/502/503/504/522/524/408/429 are retried, then recorded as http_<status>
# The crawler's own bundled demo server needs no politeness delay.
DOWNLOAD_SLOTS = {"bundled-site": {"concurrency": 8, "delay": 0}}

# -- components -----------------------------------------------------------------------------------
# Checks the address each connection actually uses (the address guard middleware checks before sending).
TWISTED_DNS_RESOLVER = "crawler.net.resolver.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.address_guard.AddressGuardMiddleware": 50,  # before robots.txt (100)
    # robots.txt of any size is read up to its first 500 KiB (RFC 9309), never skipped as too large.
    "crawler.net.robots.RobotsTxtSizeLimit": 60,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirects.GuardedRedirectMiddleware": 600,
}
ITEM_PIPELINES = {"crawler.pipelines.NormaliseAndStorePipeline": 300}
EXTENSIONS = {
    "crawler.extensions.bundled_site.BundledSiteServer": 100,
    # A store that stays unreachable after its retries stops the crawl with one clear error
    # (NEWS_STORE_URL can point any settings module at PostgreSQL).
    "crawler.extensions.store_guard.StoreGuard": 500,
    # Workers sharing a scrapy-redis queue wait for each other (inactive without scrapy-redis).
    "crawler.extensions.shared_queue.SharedQueueWorkers": 510,
    "crawler.extensions.summary.RunSummary": 900,
    "scrapy.extensions.telnet.TelnetConsole": None,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
