"""Fixture news (our own invented text) and helpers that turn it into pages and real records."""
from __future__ import annotations

import html as htmlmod
from datetime import datetime, timezone

WIRE_STORY = [
    "The central bank of Norland raised its main interest rate by half a point on Tuesday, citing stubborn "
    "inflation in food and energy prices.",
    "Governor Ilse Marten told reporters in Osterby that further increases could not be ruled out if wages "
    "kept rising faster than productivity.",
    "Markets had expected a smaller move, and the krone gained against the euro within minutes of the "
    "announcement.",
    "Economists said the decision would weigh on the housing market, where mortgage rates are already at a "
    "ten-year high and sales have fallen for six months.",
]

OTHER_STORY = [
    "Heavy snow closed mountain passes across the northern provinces for a second day, stranding hundreds of "
    "lorries at the border crossings.",
    "Rescue teams reached a village cut off since the weekend and delivered food and medicine by helicopter.",
    "Forecasters expect the weather to improve only slowly, with more snow likely in the higher valleys until "
    "Friday.",
    "Schools in three districts will stay shut and rail services remain suspended on the coastal line.",
]

GERMAN_STORY = [
    "Starker Schneefall hat am zweiten Tag in Folge mehrere Gebirgspässe im Norden des Landes geschlossen.",
    "Hunderte Lastwagen stecken an den Grenzübergängen fest, die Fahrer warten seit Stunden auf eine Weiterfahrt.",
    "Rettungskräfte erreichten am Montag ein Dorf, das seit dem Wochenende von der Außenwelt abgeschnitten war.",
    "Die Wetterdienste rechnen erst zum Ende der Woche mit einer langsamen Besserung der Lage.",
]


def article_html(title: str, paragraphs: list[str], *, lang: str = "en", canonical: str | None = None,
                 published: str | None = "2024-03-05T09:30:00Z", chrome: str = "Daily Herald") -> bytes:
    """A small but real article page: site chrome around the article body."""
    paras = "\n".join(f"<p>{htmlmod.escape(p)}</p>" for p in paragraphs)
    head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{htmlmod.escape(title)}</title>
{head}</head><body>
<header><nav><a href="/">{chrome}</a> <a href="/world/">World</a> <a href="/business/">Business</a></nav></header>
<article><h1>{htmlmod.escape(title)}</h1>
{paras}
</article>
<footer>&copy; {chrome}. All rights reserved.</footer>
</body></html>""".encode()


def normalise_page(url: str, html: bytes, source: str = "herald", lang: str | None = "en",
                   fetched_at: str | None = None) -> dict:
    """The real normaliser (no translation) on one page: the record a crawl would store."""
    from normalise import InputDocument, NormaliserConfig
    from normalise.pipeline import Normaliser

    doc = InputDocument(id=url, html=html, url=url, source=source, lang=lang,
                        fetched_at=fetched_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        content_type="text/html; charset=utf-8")
    return Normaliser(NormaliserConfig(translate=False)).normalise(doc).to_dict()


def page_item(url: str, html: bytes, source: str = "herald", *, canonical_url: str | None = None,
              etag: str | None = None, last_modified: str | None = None, lastmod: str | None = None):
    """The page as the crawl pipeline hands it to a store (crawler.storage.base.PageToStore)."""
    from crawler.storage.base import PageToStore

    headers = {"Content-Type": "text/html; charset=utf-8"}
    if etag:
        headers["ETag"] = etag
    if last_modified:
        headers["Last-Modified"] = last_modified
    return PageToStore(canonical_url=canonical_url or url.split("?")[0], url=url, final_url=url, status=200,
                       headers=headers, source=source,
                       fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), html=html,
                       content_type=headers["Content-Type"], etag=etag, last_modified=last_modified,
                       lastmod=lastmod)


def with_names(record: dict, *entities: tuple[str, str]) -> dict:
    """Add name changes (entity id, canonical form) as the name stage would, spans in text_en."""
    names = list(record.get("names") or [])
    for entity_id, canonical in entities:
        start = max(record["text_en"].find(canonical), 0)
        names.append({"original": canonical, "canonical": canonical, "entity_id": entity_id, "start": start,
                      "end": start + len(canonical), "method": "exact", "score": 1.0, "block": None,
                      "field": "text_en"})
    return dict(record, names=names)
