"""Settings of the review app and API, read from the Scrapy settings (and the environment).

    NEWS_WEB_HOST               address to bind
    NEWS_WEB_PORT               port (0 = any free port)
    NEWS_WEB_TOKEN              token for write endpoints (env NEWS_WEB_TOKEN wins); unset = writes refused
    NEWS_WEB_MAX_REQUEST_BYTES  largest request body: larger is 413
    NEWS_WEB_MAX_BATCH          most documents in one POST /normalise: more is 422
    NEWS_WEB_GAZETTEER          gazetteer YAML that accepted name proposals are written to
                                (unset: the first NORMALISER gazetteer_paths entry, else <data>/gazetteer.yaml)
    NEWS_WEB_PROPOSAL_RECORDS   newest records name proposals are learned from
Their defaults are in crawler/defaults.py. POST /normalise uses the crawl's NORMALISER settings
and NEWS_NORMALISE_FACTORY.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crawler import defaults
from normalise.config import NormaliserConfig

if TYPE_CHECKING:
    from normalise.names.index import NameIndex


@dataclass
class WebConfig:
    store_url: str
    host: str = defaults.NEWS_WEB_HOST
    port: int = defaults.NEWS_WEB_PORT
    token: str | None = defaults.NEWS_WEB_TOKEN
    max_request_bytes: int = defaults.NEWS_WEB_MAX_REQUEST_BYTES
    max_batch: int = defaults.NEWS_WEB_MAX_BATCH
    gazetteer_file: Path = Path(defaults.NEWS_DATA_DIR) / "gazetteer.yaml"
    proposal_records: int = defaults.NEWS_WEB_PROPOSAL_RECORDS
    normaliser: NormaliserConfig = field(default_factory=NormaliserConfig)
    normaliser_factory: str | None = defaults.NEWS_NORMALISE_FACTORY  # dotted path

    @classmethod
    def from_settings(cls, settings) -> WebConfig:
        from crawler.storage.factory import store_url_from_settings

        normaliser = NormaliserConfig.from_mapping(dict(settings.getdict("NORMALISER")))
        gazetteer = settings.get("NEWS_WEB_GAZETTEER") or (
            normaliser.gazetteer_paths[0] if normaliser.gazetteer_paths else normaliser.data_dir / "gazetteer.yaml")
        return cls(
            store_url=store_url_from_settings(settings),
            host=settings.get("NEWS_WEB_HOST") or defaults.NEWS_WEB_HOST,
            port=settings.getint("NEWS_WEB_PORT", defaults.NEWS_WEB_PORT),
            token=os.environ.get("NEWS_WEB_TOKEN") or settings.get("NEWS_WEB_TOKEN") or defaults.NEWS_WEB_TOKEN,
            max_request_bytes=settings.getint("NEWS_WEB_MAX_REQUEST_BYTES", defaults.NEWS_WEB_MAX_REQUEST_BYTES),
            max_batch=settings.getint("NEWS_WEB_MAX_BATCH", defaults.NEWS_WEB_MAX_BATCH),
            gazetteer_file=Path(gazetteer),
            proposal_records=settings.getint("NEWS_WEB_PROPOSAL_RECORDS", defaults.NEWS_WEB_PROPOSAL_RECORDS),
            normaliser=normaliser,
            normaliser_factory=settings.get("NEWS_NORMALISE_FACTORY") or defaults.NEWS_NORMALISE_FACTORY,
        )

    def gazetteer_paths(self) -> tuple[Path, ...]:
        """The user's gazetteer files, with the proposals file (accepted variants) once it exists."""
        paths = tuple(self.normaliser.gazetteer_paths)
        if self.gazetteer_file.is_file() and not self.gazetteer_in_use:
            paths += (self.gazetteer_file,)
        return paths

    def names_index(self) -> NameIndex:
        """The names index the normaliser uses (with the world layer unless NORMALISER
        names_world is false) over the user's gazetteer files and the proposals file."""
        from normalise.names.index import get_index

        return get_index(self.gazetteer_paths(), world=self.normaliser.names_world)

    @property
    def gazetteer_in_use(self) -> bool:
        """Is the proposals file one the normaliser reads (else accepted variants change nothing yet)?"""
        target = self.gazetteer_file.resolve()
        return any(Path(p).resolve() == target for p in self.normaliser.gazetteer_paths)
