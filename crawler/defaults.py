"""The default of every NEWS_* setting, in one place.

settings/default.py starts from this module (`from crawler.defaults import *`) and components
read a setting with the default named here (`settings.getint("NEWS_NORMALISE_BATCH",
defaults.NEWS_NORMALISE_BATCH)`), so a crawler built without the project's settings module (a
test's `get_crawler`, `python -m crawler.web` outside the checkout) behaves the same. Paths are
relative to the working directory; settings/default.py puts them under NEWS_DATA_DIR.
"""
from __future__ import annotations

# -- sources and storage ----------------------------------------------------------------------
NEWS_DATA_DIR = "data"
NEWS_SEEDS_DIR = "seeds"
# sqlite:///PATH or postgresql://USER@HOST/DB; the environment variable NEWS_STORE_URL wins
# (crawler/storage/factory.py), so one deployment can be pointed elsewhere without a settings change.
NEWS_STORE_URL = f"sqlite:///{NEWS_DATA_DIR}/news.sqlite"
# A lost PostgreSQL connection: attempts in all, and the first wait in seconds (doubling after each).
NEWS_STORE_RETRIES = 3
NEWS_STORE_RETRY_BACKOFF = 0.5
# `scrapy crawl news` runs every enabled source, including the ones marked needs_network;
# True skips those, each recorded as a `network_disabled` skip (NEWS_OFFLINE=1 in the environment).
NEWS_SKIP_NETWORK_SOURCES = False
NEWS_JOBDIR_ROOT: str | None = None  # `scrapy schedule`: per-source JOBDIR under this folder

# -- the normaliser inside the crawl ------------------------------------------------------------
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
# skip, its raw body kept in NEWS_KEPT_PAGES_DIR for `scrapy renormalise --kept-pages`; its
# batch-mates are sent again. 0 = no limit (required with NEWS_NORMALISE_PROCESSES = 0: a thread
# cannot be stopped).
NEWS_NORMALISE_PAGE_TIMEOUT = 30.0
NEWS_KEPT_PAGES_DIR = f"{NEWS_DATA_DIR}/kept_pages"
# Dotted path of the normaliser class (called with the NormaliserConfig). Test and debugging hook:
# leave None in production (normalise.pipeline.Normaliser).
NEWS_NORMALISE_FACTORY: str | None = None

# -- discovery ------------------------------------------------------------------------------------
# Stored articles are checked again (conditional GET) at these ages (seconds) after they were first
# stored: stories are edited most in their first hours. Empty: never revisit.
NEWS_REVISIT_SCHEDULE = [3600, 6 * 3600, 24 * 3600, 3 * 24 * 3600]
# Upper bound on the discovery HTTP cache directory, applied when a crawl opens (after entries
# older than HTTPCACHE_EXPIRATION_SECS are deleted, the oldest go until this much remains). 0 = none.
NEWS_HTTPCACHE_MAX_BYTES = 1024 ** 3
NEWS_MAX_XML_BYTES = 50 * 1024 * 1024  # sitemap/feed size after gunzip (gzip-bomb guard)
NEWS_MAX_URLS_PER_SITEMAP = 50_000  # the sitemap protocol's own limit
NEWS_MAX_SITEMAP_DEPTH = 3
# Article URLs one source may put in the queue per run (sitemap indexes can list millions); the
# rest are found again by the next run. Recorded as a `discovery_capped` skip.
NEWS_MAX_URLS_PER_SOURCE = 5000
NEWS_MAX_FEED_ENTRIES = 5000  # entries read from one feed; more is recorded as `feed_truncated`

# -- safety: no requests to private/loopback/link-local addresses unless allowed ------------------
NEWS_ALLOW_PRIVATE_ADDRESSES = False
NEWS_PRIVATE_ALLOWLIST: list[str] = []  # "host:port" entries; the bundled demo site adds its own at run time
NEWS_BUNDLED_SITES_ENABLED = True
NEWS_BUNDLED_SITE_PORT: int | None = None  # None: the port in the source's seeds file; 0: any free port

# -- several crawl processes on one Redis queue (settings/production.py) ----------------------------
NEWS_REDIS_MAX_FAILURES = 3  # Redis calls failing in a row before the crawl stops cleanly
NEWS_REDIS_SEEN_TTL = 1800  # seconds a request fingerprint is remembered in the shared dupefilter
# Seconds an idle worker waits for its peers' in-flight requests (they may queue more) before closing.
NEWS_REDIS_PEER_GRACE = 15.0

# -- the review app and API (crawler/web) ----------------------------------------------------------
NEWS_WEB_HOST = "127.0.0.1"  # only this machine
NEWS_WEB_PORT = 8000  # 0 = any free port
NEWS_WEB_TOKEN: str | None = None  # token for write endpoints (env NEWS_WEB_TOKEN wins); unset = writes refused
NEWS_WEB_MAX_REQUEST_BYTES = 8 * 1024 * 1024  # larger request bodies are 413
NEWS_WEB_MAX_BATCH = 32  # most documents in one POST /normalise: more is 422
# Gazetteer YAML that accepted name proposals are written to (None: the first NORMALISER
# gazetteer_paths entry, else <normaliser data dir>/gazetteer.yaml).
NEWS_WEB_GAZETTEER: str | None = None
NEWS_WEB_PROPOSAL_RECORDS = 2000  # newest records name proposals are learned from
