"""What the spider yields: one fetched page, raw, with how it was discovered."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawPage:
    url: str  # the canonicalised URL that was requested
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    fetched_at: str  # ISO 8601, UTC
    source: str  # source id from seeds/
    body: bytes = field(repr=False)
    content_type: str | None = None
    # Discovery metadata: via (feed|sitemap|section), lastmod, publication_date, feed dates, titles.
    discovery: dict[str, Any] = field(default_factory=dict)
    redirect_urls: list[str] = field(default_factory=list)

    def __repr__(self) -> str:  # keeps logs readable: never dump the body
        return f"<RawPage {self.status} {self.final_url} ({len(self.body)} bytes, source {self.source})>"
