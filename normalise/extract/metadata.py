"""Page metadata from the HTML head: title, canonical URL, publication date, authors, site name."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html


@dataclass
class PageMetadata:
    title: str | None = None
    canonical_url: str | None = None
    published_at: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    html_lang: str | None = None


def _first(root, xpath: str) -> str | None:
    for value in root.xpath(xpath):
        value = " ".join(str(value).split())
        if value:
            return value
    return None


def _json_ld_objects(root):
    for script in root.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue  # broken JSON-LD is common; the other signals still apply
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
                yield item


def _author_names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _author_names(value.get("name"))
    if isinstance(value, list):
        return [name for v in value for name in _author_names(v)]
    return []


def extract_metadata(root: lxml.html.HtmlElement, url: str | None = None) -> PageMetadata:
    meta = PageMetadata()
    meta.title = (
        _first(root, '//meta[@property="og:title"]/@content')
        or _first(root, "//title/text()")
        or _first(root, "//h1//text()")
    )
    canonical = _first(root, '//link[@rel="canonical"]/@href')
    if canonical and url:
        canonical = urljoin(url, canonical)
    if canonical and canonical.startswith(("http://", "https://")):
        meta.canonical_url = canonical
    meta.published_at = (
        _first(root, '//meta[@property="article:published_time"]/@content')
        or _first(root, '//meta[@name="pubdate" or @name="publishdate" or @name="date" or @itemprop="datePublished"]/@content')
        or _first(root, "//time[@datetime][1]/@datetime")
    )
    meta.site_name = _first(root, '//meta[@property="og:site_name"]/@content')
    meta.html_lang = _first(root, "/html/@lang")
    authors = [a for a in root.xpath('//meta[@name="author"]/@content') if a.strip()]
    for obj in _json_ld_objects(root):
        if not meta.published_at and isinstance(obj.get("datePublished"), str):
            meta.published_at = obj["datePublished"]
        authors.extend(_author_names(obj.get("author")))
    meta.authors = list(dict.fromkeys(" ".join(a.split()) for a in authors if a and a.strip()))
    return meta
