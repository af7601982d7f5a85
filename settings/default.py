"""Default Scrapy settings: embedded SQLite store, polite crawling, safe by default.

Select another module with SCRAPY_SETTINGS_MODULE (settings.test for the test suite;
settings.production, PostgreSQL + Redis, imports from here). Every NEWS_* setting starts from
crawler/defaults.py, where each is described; this module sets Scrapy's own settings and puts
the data files under NEWS_DATA_DIR.
Environment variables: NEWS_DATA_DIR (default ./data), NEWS_STORE_URL (default
sqlite:///<data dir>/news.sqlite, or postgresql://USER@HOST/DB), NEWS_SEEDS_DIR,
NEWS_OFFLINE=1 (skip sources marked needs_network).
"""
import os
from pathlib import Path

from crawler.defaults import *  # noqa: F401,F403
from crawler.defaults import NEWS_DATA_DIR

PROJECT_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("NEWS_DATA_DIR", NEWS_DATA_DIR))

BOT_NAME = "news"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # scrapy export / renormalise / schedule
USER_AGENT = "news-ingest/0.1 (multilingual news research crawler; obeys robots.txt)"

# -- sources and storage ----------------------------------------------------------------------
NEWS_SEEDS_DIR = os.environ.get("NEWS_SEEDS_DIR", str(PROJECT_DIR / "seeds"))
NEWS_STORE_URL = f"sqlite:///{DATA_DIR / 'news.sqlite'}"  # the environment's NEWS_STORE_URL wins over it
NEWS_SKIP_NETWORK_SOURCES = os.environ.get("NEWS_OFFLINE", "") not in ("", "0")
# Normaliser settings, mapped onto normalise.config.NormaliserConfig (unknown keys are an error).
# Translation is on: without an installed Argos model blocks are marked untranslated, never lost.
NORMALISER = {"translate": True, "data_dir": str(DATA_DIR)}
NEWS_KEPT_PAGES_DIR = str(DATA_DIR / "kept_pages")

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
# Entries stored longer ago than this are deleted when a crawl opens (a 304 does not renew one: an
# unchanged feed is fetched in full once per period); NEWS_HTTPCACHE_MAX_BYTES bounds the rest.
HTTPCACHE_EXPIRATION_SECS = 7 * 24 * 3600

# -- limits -------------------------------------------------------------------------------------
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # larger pages are cancelled and recorded as `too_large`
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
REDIRECT_MAX_TIMES = 10

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
