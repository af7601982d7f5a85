"""Raw pages the normaliser could not finish (timed out, crashed its worker) kept on disk.

Such a page may be fine for a later normaliser (a fixed bug, a faster model), and fetching it
again may not give the same bytes, so its raw body is written to NEWS_KEPT_PAGES_DIR
(default `<data dir>/kept_pages`), one gzip file per URL named by its SHA-256, and the skip's
detail says where. `python -m normalise FILE` normalises such a file directly.
"""
from __future__ import annotations

import gzip
import hashlib
import logging
from pathlib import Path

from crawler.processing.worker import NORMALISE_TIMEOUT, NORMALISER_CRASHED

log = logging.getLogger(__name__)

KEEP_RAW_FOR = frozenset({NORMALISE_TIMEOUT, NORMALISER_CRASHED})


class KeptPages:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def path_for(self, url: str) -> Path:
        return self.directory / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.html.gz"

    def keep(self, url: str, body: bytes) -> str:
        """Write the page; returns the text to add to the skip's detail (names the file, or why not)."""
        path = self.path_for(url)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with gzip.open(tmp, "wb") as fh:
                fh.write(body)
            tmp.replace(path)  # a half-written file never takes the final name
        except OSError as exc:
            log.error("could not keep the raw page of %s: %s", url, exc)
            return f"; raw page NOT kept ({exc.strerror or exc})"
        return f"; raw page kept at {path}"

    def read(self, url: str) -> bytes:
        with gzip.open(self.path_for(url), "rb") as fh:
            return fh.read()
