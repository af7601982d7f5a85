"""Production settings: PostgreSQL store, optional scrapy-redis scheduling, resumable jobs.

Select with `SCRAPY_SETTINGS_MODULE=settings.production` (or `scrapy crawl news -s ...`).
Everything not set here comes from settings.default.

Environment:
  NEWS_STORE_URL   postgresql://user@host/db (required here; the password may be in ~/.pgpass)
  NEWS_REDIS_URL   redis://host:6379/0 turns on scrapy-redis: several crawler processes on one
                   or more machines share one request queue and one dupefilter in Redis.
  NEWS_JOBDIR      directory for Scrapy's JOBDIR (per-process job state), so a killed crawl
                   resumes where it stopped. Without Redis only; with Redis the queue lives in Redis.
"""
import os

from settings.default import *  # noqa: F401,F403

# The environment's NEWS_STORE_URL, NEWS_STORE_RETRIES and NEWS_STORE_RETRY_BACKOFF win over these.
NEWS_STORE_URL = "postgresql://postgres@127.0.0.1:5432/news"
NEWS_STORE_RETRIES = 5
NEWS_STORE_RETRY_BACKOFF = 1.0
NEWS_JOBDIR_ROOT = os.environ.get("NEWS_JOBDIR_ROOT", "var/jobs")

REDIS_URL = os.environ.get("NEWS_REDIS_URL")
if REDIS_URL:
    # Distributed crawling on scrapy-redis: shared scheduler queue and request fingerprints.
    # scrapy-redis's scheduler, stopping the crawl cleanly when Redis stays unreachable.
    SCHEDULER = "crawler.extensions.redis_queue.GuardedRedisScheduler"
    NEWS_REDIS_MAX_FAILURES = int(os.environ.get("NEWS_REDIS_MAX_FAILURES", NEWS_REDIS_MAX_FAILURES))  # noqa: F405
    # Shared by the workers of one crawl; a fingerprint is forgotten after NEWS_REDIS_SEEN_TTL seconds
    # (stored articles are known to the store; discovery pages are fetched every run).
    DUPEFILTER_CLASS = "crawler.discovery.seen.RecentRedisDupeFilter"
    NEWS_REDIS_SEEN_TTL = int(os.environ.get("NEWS_REDIS_SEEN_TTL", NEWS_REDIS_SEEN_TTL))  # noqa: F405
    SCHEDULER_PERSIST = True  # keep queue and fingerprints between runs: incremental, resumable
    SCHEDULER_QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"
    SCHEDULER_QUEUE_KEY = os.environ.get("NEWS_REDIS_PREFIX", "news") + ":%(spider)s:requests"
    SCHEDULER_DUPEFILTER_KEY = os.environ.get("NEWS_REDIS_PREFIX", "news") + ":%(spider)s:dupefilter"
    # Idle workers wait this long for new requests before closing (seconds).
    SCHEDULER_IDLE_BEFORE_CLOSE = int(os.environ.get("NEWS_REDIS_IDLE", "10"))
    REDIS_PARAMS = {"socket_timeout": 30, "socket_connect_timeout": 10, "retry_on_timeout": True,
                    "health_check_interval": 30}
elif os.environ.get("NEWS_JOBDIR"):
    JOBDIR = os.environ["NEWS_JOBDIR"]

LOG_LEVEL = os.environ.get("NEWS_LOG_LEVEL", "INFO")
