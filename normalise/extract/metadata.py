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


# What the head's <meta> and <link> elements say, by the attribute that names it: one pass over
# them instead of one XPath scan of the whole page per field (the same values, in page order).
_META_FIELDS = {
    ("property", "og:title"): "title",
    ("property", "article:published_time"): "published",
    ("name", "pubdate"): "date",
    ("name", "publishdate"): "date",
    ("name", "date"): "date",
    ("itemprop", "datePublished"): "date",
    ("property", "og:site_name"): "site_name",
    ("name", "author"): "author",
}


def _head_values(root) -> dict[str, list[str]]:
    """Per field of _META_FIELDS (and "canonical", from <link rel="canonical">): the values, in
    page order, as `//meta[@name="author"]/@content` gives them."""
    found: dict[str, list[str]] = {}
    for el in root.iter("meta", "link"):
        if el.tag == "link":
            if el.get("rel") == "canonical" and (href := el.get("href")) is not None:
                found.setdefault("canonical", []).append(href)
            continue
        content = el.get("content")
        if content is None:
            continue
        names = {name for attr in ("property", "name", "itemprop") if (name := _META_FIELDS.get((attr, el.get(attr))))}
        for name in names:
            found.setdefault(name, []).append(content)
    return found


def _first_of(values: list[str]) -> str | None:
    return next((v for v in (" ".join(value.split()) for value in values) if v), None)


def extract_metadata(root: lxml.html.HtmlElement, url: str | None = None) -> PageMetadata:
    meta = PageMetadata()
    head = _head_values(root)
    meta.title = (
        _first_of(head.get("title", []))
        or _first(root, "//title/text()")
        or _first(root, "//h1//text()")
    )
    canonical = _first_of(head.get("canonical", []))
    if canonical and url:
        canonical = urljoin(url, canonical)
    if canonical and canonical.startswith(("http://", "https://")):
        meta.canonical_url = canonical
    meta.published_at = (
        _first_of(head.get("published", []))
        or _first_of(head.get("date", []))
        or _first(root, "//time[@datetime][1]/@datetime")
    )
    meta.site_name = _first_of(head.get("site_name", []))
    meta.html_lang = _first(root, "/html/@lang")
    authors = [a for a in head.get("author", []) if a.strip()]
    for obj in _json_ld_objects(root):
        if not meta.published_at and isinstance(obj.get("datePublished"), str):
            meta.published_at = obj["datePublished"]
        authors.extend(_author_names(obj.get("author")))
    meta.authors = list(dict.fromkeys(" ".join(a.split()) for a in authors if a and a.strip()))
    return meta
