"""The crawl's site-template learning (crawler.pipelines.TemplateHashes) keeps the newest pages
of each source in memory and must learn exactly what `learn_site_templates` learns from them:
pages stored in this run, and pages of earlier runs read once from the store."""
from __future__ import annotations

import random

from crawler.pipelines import TEMPLATE_SAMPLE, TemplateHashes
from crawler.storage.sqlite import SQLiteStore
from normalise.boilerplate.templates import learn_site_templates

from .stories import page_item

CHROME = ["Subscribe to our newsletter", "© 2024 Herald Media. All rights reserved.", "Most read",
          "Sign in", "Accept cookies", "Share on X", "Weather in Osterby: 12°C"]


def _pages(n: int, seed: int = 7) -> list[list[str]]:
    """Pages of block texts: chrome whose share drifts over time (so blocks enter and leave the
    learned set as the window moves), digits that differ per page, article text unique to a page."""
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        blocks = [f"Story {i} paragraph {k}: " + " ".join(rng.choice(["council", "harbour", "vote", "rail", "budget"])
                                                          for _ in range(8)) for k in range(rng.randint(2, 6))]
        for j, chrome in enumerate(CHROME):
            share = 0.9 if j < 3 else (0.55 if (i // 30 + j) % 2 else 0.2)
            if rng.random() < share:
                blocks.insert(rng.randint(0, len(blocks)), chrome.replace("2024", str(2000 + i % 30)))
        blocks += ["", "   "]  # empty blocks never count
        pages.append(blocks)
    return pages


def _record(i: int, texts: list[str]) -> dict:
    return {"id": f"https://herald.test/{i}", "title": f"Story {i}", "text": texts[0],
            "blocks": [{"text": t} for t in texts]}


def test_learns_what_learn_site_templates_learns_from_the_newest_pages(tmp_path):
    store = SQLiteStore(tmp_path / "news.sqlite")
    templates = TemplateHashes(store)
    pages = _pages(3 * TEMPLATE_SAMPLE)
    changes = 0
    previous = None
    for n, texts in enumerate(pages, start=1):
        templates.stored("herald", templates.fingerprints(_record(n, texts)["blocks"]))
        learned = templates.for_source("herald")
        window = pages[max(0, n - TEMPLATE_SAMPLE):n]
        assert learned == learn_site_templates(window).fingerprints, f"after page {n}"
        changes += learned != previous
        previous = learned
    assert changes >= 4  # the window really moved: blocks were learned and forgotten
    assert templates.for_source("gazette") == frozenset()  # per source
    store.close()


def test_pages_of_earlier_runs_are_read_once_from_the_store(tmp_path):
    store = SQLiteStore(tmp_path / "news.sqlite")
    pages = _pages(TEMPLATE_SAMPLE + 10, seed=3)
    for i, texts in enumerate(pages):
        item = page_item(f"https://herald.test/{i}", b"<html></html>")
        item.fetched_at = f"2024-05-01T{i // 60:02d}:{i % 60:02d}:00+00:00"  # newest last
        store.save(item, _record(i, texts))
    reads = []
    original = store.recent_records
    store.recent_records = lambda source, limit: reads.append(source) or original(source, limit)
    templates = TemplateHashes(store)
    assert templates.for_source("herald") == learn_site_templates(pages[-TEMPLATE_SAMPLE:]).fingerprints
    more = _pages(5, seed=11)
    for n, texts in enumerate(more, start=1):
        templates.stored("herald", templates.fingerprints(_record(100 + n, texts)["blocks"]))
        window = (pages + more[:n])[-TEMPLATE_SAMPLE:]
        assert templates.for_source("herald") == learn_site_templates(window).fingerprints
    assert reads == ["herald"]
    store.close()
