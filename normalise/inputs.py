"""What the normaliser accepts: one InputDocument per page, from the crawler or from files."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class InputDocument:
    id: str
    html: str | bytes | None = None  # a page; bytes are decoded with the declared/detected charset
    text: str | None = None  # or a plain-text dump of a page, one block per line
    url: str | None = None
    source: str | None = None
    fetched_at: str | None = None
    lang: str | None = None  # a hint; language identification still runs per block
    content_type: str | None = None
    expected_languages: list[str] = field(default_factory=list)
    drop_selectors: list[str] = field(default_factory=list)
    template_hashes: frozenset[str] = frozenset()
