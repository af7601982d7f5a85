"""Settings for the crawl tests: the local fixture server on 127.0.0.1, no politeness delays."""
from settings.default import *  # noqa: F401,F403

NEWS_ALLOW_PRIVATE_ADDRESSES = True  # the fixture site is on 127.0.0.1
NEWS_SKIP_NETWORK_SOURCES = True
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
CONCURRENT_REQUESTS_PER_DOMAIN = 8
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 10
NORMALISER = {"translate": False, "data_dir": NORMALISER["data_dir"]}  # noqa: F405
LOG_LEVEL = "INFO"
