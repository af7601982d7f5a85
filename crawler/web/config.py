"""Settings of the review app and API, read from the Scrapy settings (and the environment).

    NEWS_WEB_HOST               address to bind (default 127.0.0.1: only this machine)
    NEWS_WEB_PORT               port (default 8000; 0 = any free port)
    NEWS_WEB_TOKEN              token for write endpoints (env NEWS_WEB_TOKEN wins); unset = writes refused
    NEWS_WEB_MAX_REQUEST_BYTES  largest request body (default 8 MiB): larger is 413
    NEWS_WEB_MAX_BATCH          most documents in one POST /normalise (default 32): more is 422
    NEWS_WEB_GAZETTEER          gazetteer YAML that accepted name proposals are written to
                                (default: the first NORMALISER gazetteer_paths entry, else <data>/gazetteer.yaml)
    NEWS_WEB_PROPOSAL_RECORDS   newest records name proposals are learned from (default 2000)
POST /normalise uses the crawl's NORMALISER settings and NEWS_NORMALISE_FACTORY.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from normalise.config import NormaliserConfig


@dataclass
class WebConfig:
    store_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    max_request_bytes: int = 8 * 1024 * 1024
    max_batch: int = 32
    gazetteer_file: Path = Path("data/gazetteer.yaml")
    proposal_records: int = 2000
    normaliser: NormaliserConfig = field(default_factory=NormaliserConfig)
    normaliser_factory: str | None = None  # dotted path, as NEWS_NORMALISE_FACTORY

    @classmethod
    def from_settings(cls, settings) -> WebConfig:
        from crawler.storage.factory import store_url_from_settings

        normaliser = NormaliserConfig.from_mapping(dict(settings.getdict("NORMALISER")))
        gazetteer = settings.get("NEWS_WEB_GAZETTEER") or (
            normaliser.gazetteer_paths[0] if normaliser.gazetteer_paths else normaliser.data_dir / "gazetteer.yaml")
        return cls(
            store_url=store_url_from_settings(settings),
            host=settings.get("NEWS_WEB_HOST") or "127.0.0.1",
            port=settings.getint("NEWS_WEB_PORT", 8000),
            token=os.environ.get("NEWS_WEB_TOKEN") or settings.get("NEWS_WEB_TOKEN") or None,
            max_request_bytes=settings.getint("NEWS_WEB_MAX_REQUEST_BYTES", 8 * 1024 * 1024),
            max_batch=settings.getint("NEWS_WEB_MAX_BATCH", 32),
            gazetteer_file=Path(gazetteer),
            proposal_records=settings.getint("NEWS_WEB_PROPOSAL_RECORDS", 2000),
            normaliser=normaliser,
            normaliser_factory=settings.get("NEWS_NORMALISE_FACTORY") or None,
        )

    def gazetteer_paths(self) -> tuple[Path, ...]:
        """The user's gazetteer files, with the proposals file (accepted variants) once it exists."""
        paths = tuple(self.normaliser.gazetteer_paths)
        if self.gazetteer_file.is_file() and not self.gazetteer_in_use:
            paths += (self.gazetteer_file,)
        return paths

    @property
    def gazetteer_in_use(self) -> bool:
        """Is the proposals file one the normaliser reads (else accepted variants change nothing yet)?"""
        target = self.gazetteer_file.resolve()
        return any(Path(p).resolve() == target for p in self.normaliser.gazetteer_paths)
