"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: article links with their dates and titles."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from crawler.dates import iso_date
from crawler.discovery.xmlsafe import FeedError, iter_elements, local, prepare, text_of


@dataclass(frozen=True)
class FeedEntry:
    link: str
    published: str | None = None
    updated: str | None = None
    title: str | None = None


def parse_feed(body: bytes, max_size: int) -> Iterator[FeedEntry]:
    xml = prepare(body, max_size)
    for root, element in iter_elements(xml, {"item", "entry"}):
        if root not in ("rss", "RDF", "feed", "channel"):
            raise FeedError("not_feed", f"root element is <{root}>, not an RSS or Atom feed")
        link = _atom_link(element) if local(element.tag) == "entry" else _rss_link(element)
        if not link:
            continue
        yield FeedEntry(
            link=link,
            published=iso_date(text_of(element, "pubDate") or text_of(element, "published")
                               or text_of(element, "date")),
            updated=iso_date(text_of(element, "updated") or text_of(element, "modified")),
            title=text_of(element, "title"),
        )


def _rss_link(item) -> str | None:
    for child in item:
        if local(child.tag) == "link" and child.text and child.text.strip():
            return child.text.strip()
    for child in item:  # a permalink guid stands in for a missing <link>
        if local(child.tag) == "guid" and child.get("isPermaLink", "true") == "true" and child.text:
            if child.text.strip().startswith(("http://", "https://")):
                return child.text.strip()
    return None


def _atom_link(entry) -> str | None:
    for child in entry:
        if local(child.tag) == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
            return child.get("href").strip()
    return None
