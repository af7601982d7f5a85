"""Sitemaps and sitemap indexes, including Google News sitemaps, keeping lastmod and
news:publication_date (Scrapy's own sitemap helper drops the news fields)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from crawler.dates import iso_date
from crawler.discovery.xmlsafe import FeedError, iter_elements, local, prepare, text_of


@dataclass(frozen=True)
class SitemapEntry:
    kind: str  # "sitemap" (a child of a sitemap index) or "url" (a page)
    loc: str
    lastmod: str | None = None
    publication_date: str | None = None
    title: str | None = None
    language: str | None = None


def parse_sitemap(body: bytes, max_size: int) -> Iterator[SitemapEntry]:
    """Entries of a sitemap or sitemap index, streamed; raises FeedError for refused documents."""
    xml = prepare(body, max_size)
    for root, element in iter_elements(xml, {"url", "sitemap"}):
        if root not in ("urlset", "sitemapindex"):
            raise FeedError("not_sitemap", f"root element is <{root}>, not <urlset> or <sitemapindex>")
        loc = _direct_child_text(element, "loc")
        if not loc:
            continue
        kind = "sitemap" if local(element.tag) == "sitemap" else "url"
        news = next((c for c in element if local(c.tag) == "news"), None)
        yield SitemapEntry(
            kind=kind,
            loc=loc,
            lastmod=iso_date(_direct_child_text(element, "lastmod")),
            publication_date=iso_date(text_of(news, "publication_date")) if news is not None else None,
            title=text_of(news, "title") if news is not None else None,
            language=text_of(news, "language") if news is not None else None,
        )


def _direct_child_text(element, name: str) -> str | None:
    for child in element:
        if local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None
