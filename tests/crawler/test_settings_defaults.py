"""Each NEWS_* default has one source, crawler/defaults.py: the project's settings module starts
from it, and a crawler built without that module (another project, a test's bare Settings) reads
the same values."""
from __future__ import annotations

from datetime import timedelta

from scrapy.settings import Settings

from crawler import defaults
from crawler.spiders.news import revisit_schedule
from crawler.storage.factory import retry_options, store_url_from_settings
from crawler.web.config import WebConfig

# Set from the environment or under NEWS_DATA_DIR by settings/default.py, on purpose.
PLACED_BY_THE_SETTINGS_MODULE = {"NEWS_SEEDS_DIR", "NEWS_STORE_URL", "NEWS_KEPT_PAGES_DIR", "NEWS_SKIP_NETWORK_SOURCES"}


def _names() -> list[str]:
    return [name for name in vars(defaults) if name.startswith("NEWS_")]


def test_the_settings_module_starts_from_the_defaults_table():
    settings = Settings()
    settings.setmodule("settings.default")
    for name in _names():
        assert name in settings, name
        if name not in PLACED_BY_THE_SETTINGS_MODULE:
            assert settings[name] == getattr(defaults, name), name


def test_a_crawler_without_the_settings_module_reads_the_same_defaults(monkeypatch):
    for name in ("NEWS_STORE_URL", "NEWS_STORE_RETRIES", "NEWS_STORE_RETRY_BACKOFF", "NEWS_WEB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    bare = Settings()
    config = WebConfig.from_settings(bare)
    assert (config.host, config.port, config.max_batch, config.max_request_bytes, config.proposal_records) == (
        defaults.NEWS_WEB_HOST, defaults.NEWS_WEB_PORT, defaults.NEWS_WEB_MAX_BATCH,
        defaults.NEWS_WEB_MAX_REQUEST_BYTES, defaults.NEWS_WEB_PROPOSAL_RECORDS)
    assert config.store_url == store_url_from_settings(bare) == defaults.NEWS_STORE_URL
    assert retry_options(bare) == {"attempts": defaults.NEWS_STORE_RETRIES, "backoff": defaults.NEWS_STORE_RETRY_BACKOFF}
    assert revisit_schedule(bare) == tuple(timedelta(seconds=s) for s in sorted(defaults.NEWS_REVISIT_SCHEDULE))


def test_a_setting_given_wins_over_the_table():
    settings = Settings({"NEWS_WEB_PORT": "8123", "NEWS_REVISIT_SCHEDULE": []})
    assert WebConfig.from_settings(settings).port == 8123
    assert revisit_schedule(settings) == ()
