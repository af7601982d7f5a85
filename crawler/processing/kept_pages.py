"""Raw pages the normaliser could not finish (timed out, crashed its worker) kept on disk.

Such a page may be fine for a later normaliser (a fixed bug, a faster model), and fetching it
again may not give the same bytes, so its raw body is written to NEWS_KEPT_PAGES_DIR
(default `<data dir>/kept_pages`), one gzip file per URL named by its SHA-256, and the skip's
detail says where. Next to it, `<sha256>.json` holds what the crawl knew about the fetch (URLs,
status, headers, discovery facts, the reason it was kept): `scrapy renormalise --kept-pages`
normalises the page again and stores it as the crawl would, then removes both files.
`python -m normalise FILE` normalises a body file directly.
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crawler.items import RawPage
from crawler.processing.worker import NORMALISE_TIMEOUT, NORMALISER_CRASHED

log = logging.getLogger(__name__)

KEEP_RAW_FOR = frozenset({NORMALISE_TIMEOUT, NORMALISER_CRASHED})
_BODY = ".html.gz"
_FACTS = ".json"


@dataclass
class KeptPage:
    page: RawPage
    reason: str
    facts_path: Path


class KeptPages:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def path_for(self, url: str) -> Path:
        return self.directory / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}{_BODY}"

    def _facts_path(self, url: str) -> Path:
        return self.path_for(url).with_name(self.path_for(url).name.removesuffix(_BODY) + _FACTS)

    def keep(self, item: RawPage, reason: str) -> str:
        """Write the page; returns the text to add to the skip's detail (names the file, or why not)."""
        path = self.path_for(item.final_url)
        facts = {k: v for k, v in dataclasses.asdict(item).items() if k != "body"}
        facts["reason"] = reason
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with gzip.open(tmp, "wb") as fh:
                fh.write(item.body)
            tmp.replace(path)  # a half-written file never takes the final name
            self._write_facts(item.final_url, facts)
        except (OSError, TypeError, ValueError) as exc:
            log.error("could not keep the raw page of %s: %s", item.final_url, exc)
            return f"; raw page NOT kept ({getattr(exc, 'strerror', None) or exc})"
        return f"; raw page kept at {path}"

    def _write_facts(self, url: str, facts: dict) -> None:
        path = self._facts_path(url)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(facts, ensure_ascii=False, default=str), encoding="utf-8")
        tmp.replace(path)

    def read(self, url: str) -> bytes:
        with gzip.open(self.path_for(url), "rb") as fh:
            return fh.read()

    def pages(self) -> Iterator[KeptPage | str]:
        """Each kept page with its facts; a file that cannot be read gives a one-line problem instead."""
        if not self.directory.is_dir():
            return
        for facts_path in sorted(self.directory.glob(f"*{_FACTS}")):
            try:
                facts = json.loads(facts_path.read_text(encoding="utf-8"))
                reason = facts.pop("reason", "")
                url = facts["final_url"]
                yield KeptPage(RawPage(body=self.read(url), **facts), reason, facts_path)
            except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
                yield f"{facts_path}: unreadable kept page ({type(exc).__name__}: {exc})"

    def note(self, kept: KeptPage, reason: str) -> None:
        """The page failed again: its facts say the latest reason."""
        facts = {k: v for k, v in dataclasses.asdict(kept.page).items() if k != "body"}
        facts["reason"] = reason
        self._write_facts(kept.page.final_url, facts)

    def remove(self, url: str) -> None:
        for path in (self.path_for(url), self._facts_path(url)):
            path.unlink(missing_ok=True)
