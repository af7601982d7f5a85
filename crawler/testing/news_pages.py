"""Realistic generated news pages for the ingestion benchmark (and any test that wants them).

Real news pages are 50-300 KB: head metadata, inline scripts and styles, a big navigation
menu, cookie banner, newsletter form, "most read" and "related" lists, ad slots, a long
footer; around an article of 300-1,200 words. The generic small fixture page (a title and four
sentences) lets the normaliser finish in ~2 ms, so any crawl overhead looks huge next to it;
on pages like these it takes about as long as on real ones.

Everything is generated from the article number (own invented text, no third-party data),
so a page is identical on every request and every run. Stories differ from one another
(each sentence is drawn from a grammar with hundreds of slot values), except every
SYNDICATE_EVERY-th article, which republishes an earlier article's wire story with its own
intro, byline and closing line: near-duplicate linking has real work to do.
"""
from __future__ import annotations

import html as htmlmod
import random

SYNDICATE_EVERY = 12  # article i (i > 0, i % 12 == 0) is a copy of an earlier wire story

_FIRST = ["Anna", "Bruno", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaia", "Luca",
          "Mira", "Nils", "Olga", "Pavel", "Rosa", "Stefan", "Talia", "Umar", "Vera", "Wim", "Yara", "Zeno"]
_LAST = ["Lind", "Moreau", "Kovac", "Okafor", "Brandt", "Nakamura", "Silva", "Novak", "Haddad", "Berg", "Costa",
         "Ivanova", "Keller", "Larsen", "Mendes", "Petrov", "Quist", "Rahman", "Sato", "Thorne", "Varga", "Weiss"]
_PLACES = ["Osterby", "Kelmore", "Vantaa Bay", "Lindqvist", "Port Arne", "Hollin", "Merrow", "Tarsk", "Belvane",
           "Corrin", "Dunmere", "Eskvale", "Farrowgate", "Glenholt", "Harwick", "Islemark", "Jorvath", "Kestrel Point",
           "Lowmoor", "Marrach", "Northfold", "Oakhaven", "Pellin", "Quarry Hill", "Rosk", "Sallow", "Thornbury"]
_BODIES = ["the regional council", "the transport ministry", "the health authority", "the port company",
           "the teachers' union", "the central bank", "the national audit office", "the water board",
           "the chamber of commerce", "the environment agency", "the rail operator", "the housing association",
           "the farmers' federation", "the energy regulator", "the university senate", "the city hospital"]
_TOPICS = ["harbour expansion", "rail tunnel", "orchard subsidy", "library closure", "music festival",
           "river bridge", "school merger", "market hall", "museum extension", "flood barrier", "bus fares",
           "wind farm", "hospital wing", "tram line", "fishing quota", "airport runway", "tax reform",
           "housing plan", "water prices", "coastal path", "data centre", "steel plant", "ferry route"]
_VERBS = ["approved", "delayed", "rejected", "postponed", "expanded", "reviewed", "defended", "criticised",
          "scaled back", "fast-tracked", "put on hold", "reopened talks on", "set new terms for", "audited"]
_ADJ = ["long-awaited", "controversial", "costly", "ambitious", "modest", "overdue", "disputed", "popular",
        "fragile", "record", "unexpected", "temporary", "revised", "second"]
_NOUNS = ["budget", "timetable", "contract", "survey", "proposal", "petition", "inquiry", "agreement", "forecast",
          "tender", "report", "ruling", "ballot", "audit", "plan", "consultation", "review", "deadline"]
_SAYS = ["said", "told reporters", "wrote in a statement", "argued", "warned", "insisted", "conceded", "added"]
_TIMES = ["on Monday", "on Tuesday", "late on Wednesday", "on Thursday morning", "on Friday", "over the weekend",
          "last month", "earlier this year", "in a closed session", "after a four-hour debate"]
_SECTIONS = ["World", "Politics", "Business", "Markets", "Technology", "Science", "Health", "Education", "Climate",
             "Culture", "Sport", "Travel", "Opinion", "Lifestyle", "Property", "Motoring", "Local", "Weather"]

_SENTENCES = [
    "{body} {verb} the {adj} {topic} in {place} {time}, according to documents seen by this newspaper.",
    "{person}, who chairs {body}, {says} that the {noun} had been \"{adj} but necessary\" given the pressure on {place}.",
    "The {noun} puts the cost of the {topic} at {money} million, up from {money2} million when it was first proposed.",
    "Residents of {place} have collected {count} signatures against the {topic}, {person} {says}.",
    "\"We were promised a {adj} {noun}, and what we got was a {noun2},\" {person} {says} {time}.",
    "{body} is expected to publish its {noun} on the {topic} before the end of the {period}.",
    "Opposition members in {place} called for an independent {noun} into how the {topic} was handled.",
    "Work on the {topic} is due to start in {month} and last about {years} years, if the {noun} is signed.",
    "{person} {says} that {count2} jobs depended on the {topic}, most of them in and around {place}.",
    "A spokesperson for {body} declined to comment on the {noun} {time}, citing ongoing talks with {body2}.",
    "Critics point out that the {topic} in {place2} ran {pct} per cent over budget and opened {years} years late.",
    "The {noun2} was drafted by {person2}, a former adviser to {body2}, and circulated to members {time}.",
    "Turnout at the public meeting in {place} was the highest in {years} years, organisers {says2}.",
    "Under the {adj} {noun}, {body} would pay {pct} per cent of the running costs for the first decade.",
    "{person2} {says} the {topic} would \"change {place} for a generation\", a claim others dispute.",
    "Figures released {time} show that {count} households in {place2} would be affected by the {topic}.",
    "The last time {body} {verb} a project of this size was the {topic2} in {place2}, {years2} years ago.",
    "Several members abstained, and the {noun} passed by {votes} votes to {votes2}.",
    "Local businesses are divided: {pct} per cent of those surveyed by {body2} supported the {topic}.",
    "{person} is due to appear before {body2} {time2} to answer questions about the {noun}.",
]
_PERIOD = ["quarter", "year", "summer", "spring", "month", "parliamentary session"]
_MONTHS = ["January", "March", "April", "June", "September", "October", "November"]


def _fill(rng: random.Random, template: str) -> str:
    def person():
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"

    slots = {
        "body": rng.choice(_BODIES), "body2": rng.choice(_BODIES), "verb": rng.choice(_VERBS),
        "adj": rng.choice(_ADJ), "topic": rng.choice(_TOPICS), "topic2": rng.choice(_TOPICS),
        "place": rng.choice(_PLACES), "place2": rng.choice(_PLACES), "time": rng.choice(_TIMES),
        "time2": rng.choice(_TIMES), "person": person(), "person2": person(), "says": rng.choice(_SAYS),
        "says2": rng.choice(_SAYS), "noun": rng.choice(_NOUNS), "noun2": rng.choice(_NOUNS),
        "money": rng.randint(12, 990), "money2": rng.randint(5, 400),
        "count": f"{rng.randint(1, 60) * 1000 + rng.randint(0, 999):,}",
        "count2": rng.randint(40, 4000), "period": rng.choice(_PERIOD), "month": rng.choice(_MONTHS),
        "years": rng.randint(2, 19), "years2": rng.randint(5, 40), "pct": rng.randint(3, 87),
        "votes": rng.randint(20, 60), "votes2": rng.randint(5, 19),
    }
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def story(i: int) -> tuple[str, list[str]]:
    """(headline, paragraphs) of article i's own story: 300-1,200 words, varied."""
    rng = random.Random(f"story-{i}")
    headline = _fill(rng, rng.choice([
        "{body} {verb} {adj} {topic} in {place}", "{place} {topic}: {noun} {verb}",
        "{person} on the {topic}: \"a {adj} {noun}\"", "Why the {topic} in {place} matters"]))
    paragraphs = []
    for _ in range(rng.randint(9, 32)):
        paragraphs.append(" ".join(_fill(rng, rng.choice(_SENTENCES)) for _ in range(rng.randint(1, 3))))
    return headline, paragraphs


def wire_source(i: int) -> int | None:
    """The earlier article whose wire story article i republishes, or None for an own story."""
    if i > 0 and i % SYNDICATE_EVERY == 0:
        return i - 1 - (i // SYNDICATE_EVERY) % 5
    return None


def article_story(i: int, version: int = 0) -> tuple[str, list[str], str]:
    """(headline, paragraphs, byline) as published as article i (a syndicated copy keeps the
    wire text, with its own intro and closing line); `version` appends a correction."""
    rng = random.Random(f"byline-{i}")
    byline = f"By {rng.choice(_FIRST)} {rng.choice(_LAST)}"
    source = wire_source(i)
    if source is None:
        headline, paragraphs = story(i)
    else:
        headline, wire = story(source)
        byline = "Staff and agencies"
        paragraphs = ([_fill(rng, "{person} in {place} contributed to this report {time}.")] + wire
                      + [_fill(rng, "Additional reporting by {person}; edited by {person2}.")])
    if version:
        paragraphs = paragraphs + [f"Correction {version}: an earlier version of this article misstated a figure."]
    return headline, paragraphs, byline


# -- chrome ---------------------------------------------------------------------------------------
def _script(rng: random.Random, kb: int) -> str:
    """Inline JavaScript of about `kb` KB (analytics, ad config): dead weight the parser must skip."""
    lines, size = [], 0
    while size < kb * 1024:
        key = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
        line = (f"window.__cfg_{key}={{id:{rng.randint(1, 10**9)},slot:'{key}',sizes:[[300,250],[728,90]],"
                f"targeting:{{section:'{rng.choice(_SECTIONS).lower()}',ab:{rng.random():.4f}}}}};")
        lines.append(line)
        size += len(line)
    return "<script>" + "\n".join(lines) + "</script>"


def _style(rng: random.Random, rules: int) -> str:
    return "<style>" + "".join(
        f".c{rng.randint(0, 10**6)}{{margin:{rng.randint(0, 40)}px;color:#{rng.randint(0, 0xFFFFFF):06x};"
        f"font-size:{rng.randint(10, 30)}px}}" for _ in range(rules)) + "</style>"


def _headline_links(rng: random.Random, n: int, prefix: str) -> str:
    return "".join(f'<li><a href="/{prefix}/{rng.randint(1, 99999)}.html">'
                   f'{htmlmod.escape(_fill(rng, "{body} {verb} {topic} in {place}"))}</a></li>' for _ in range(n))


def _nav(rng: random.Random) -> str:
    items = []
    for section in _SECTIONS:
        subs = "".join(f'<li><a href="/{section.lower()}/{p.lower().replace(" ", "-")}/">{p}</a></li>'
                       for p in rng.sample(_PLACES, rng.randint(3, 8)))
        items.append(f'<li class="menu-item"><a href="/{section.lower()}/">{section}</a><ul class="sub">{subs}</ul></li>')
    return f'<nav class="site-nav" aria-label="Main"><ul class="menu">{"".join(items)}</ul></nav>'


def page_html(i: int, url: str, *, version: int = 0, site: str = "The Fixture Times",
              published: str | None = None) -> bytes:
    """Article i as a full page: 50-300 KB, about like real news pages."""
    headline, paragraphs, byline = article_story(i, version)
    rng = random.Random(f"chrome-{i}")
    esc = htmlmod.escape
    published = published or f"2024-05-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    # A figure with a caption and a pull quote, as many real articles have.
    cut = max(2, len(paragraphs) // 3)
    body_parts = body.split("\n")
    figure = (f'<figure><img src="/img/{i}.jpg" alt="{esc(_fill(rng, "{place} harbour at dawn"))}">'
              f'<figcaption>{esc(_fill(rng, "The site of the {topic} in {place}. Photo: {person}"))}</figcaption></figure>')
    body_parts.insert(cut, figure)
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
          f'"headline":"{esc(headline)}","datePublished":"{published}",'
          f'"author":{{"@type":"Person","name":"{esc(byline[3:] if byline.startswith("By ") else byline)}"}}}}</script>')
    head = (f'<meta charset="utf-8"><title>{esc(headline)} | {site}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="description" content="{esc(paragraphs[0][:150])}">'
            f'<meta property="og:title" content="{esc(headline)}"><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{published}">'
            f'<link rel="canonical" href="{url}">{ld}'
            + _style(rng, rng.randint(150, 700)) + _script(rng, rng.randint(15, 140)))
    most_read = f'<aside class="most-read"><h2>Most read</h2><ol>{_headline_links(rng, 10, "news")}</ol></aside>'
    related = (f'<section class="related"><h2>Related stories</h2><ul>{_headline_links(rng, rng.randint(4, 8), "news")}'
               '</ul></section>')
    ads = "".join(f'<div class="ad-slot" id="ad-{k}" data-size="300x250"></div>' for k in range(rng.randint(3, 8)))
    cookie = ('<div class="cookie-banner" role="dialog"><p>We use cookies to personalise content and ads, to provide '
              'social media features and to analyse our traffic. You can change your choice at any time.</p>'
              '<button>Accept all</button><button>Manage settings</button></div>')
    newsletter = ('<form class="newsletter" action="/subscribe"><h3>Sign up for the morning briefing</h3>'
                  '<label>Email address <input type="email" name="email"></label><button>Subscribe</button></form>')
    share = ('<div class="share"><a href="/share/mail">Email</a> <a href="/share/x">Share on X</a> '
             '<a href="/share/fb">Share on Facebook</a> <button>Copy link</button></div>')
    footer_links = "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in _SECTIONS + _PLACES)
    footer = (f'<footer><ul class="footer-links">{footer_links}</ul>'
              f'<p>&copy; 2024 {site}. All rights reserved. Registered in Osterby, company number {10000 + i}.</p>'
              + _script(rng, rng.randint(5, 40)) + "</footer>")
    return (f'<!doctype html><html lang="en"><head>{head}</head><body>{cookie}'
            f'<header><a class="logo" href="/">{site}</a>{_nav(rng)}</header>{ads[:len(ads) // 2]}'
            f'<main><article><h1>{esc(headline)}</h1><p class="byline">{esc(byline)}</p>'
            f'<time datetime="{published}">{published[:10]}</time>{share}'
            f'{"".join(body_parts)}{share}</article>{related}</main>'
            f'<div class="sidebar">{most_read}{ads[len(ads) // 2:]}{newsletter}</div>{footer}'
            f'</body></html>').encode()
