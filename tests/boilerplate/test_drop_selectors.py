"""Per-site CSS drop selectors (seeds/ hints, ctx.drop_selectors) mark blocks, never delete them."""
from __future__ import annotations

from normalise import InputDocument, NormaliserConfig
from normalise.extract.html_blocks import html_to_blocks
from normalise.pipeline import Normaliser

PAGE = """<html><head><title>Ferry timetable changes announced</title></head><body>
<article>
  <h1>Ferry timetable changes announced</h1>
  <p>The island ferry will run every forty minutes from next month, the operator said on Friday,
  after a summer of complaints about crowded evening crossings and cancelled sailings.</p>
  <div class="promo-strip"><p>Win two tickets to the harbour festival this weekend.</p></div>
  <p>Passengers with season tickets will not pay more, but single fares rise by twenty cents
  from October, according to the operator's announcement published on its website.</p>
  <p id="sponsor-note">This newsletter section is sponsored by a local bakery.</p>
</article></body></html>"""


def test_selectors_mark_matching_blocks_as_site_selector():
    doc = InputDocument(id="p", html=PAGE, drop_selectors=[".promo-strip", "#sponsor-note"])
    record = Normaliser(NormaliserConfig(translate=False)).normalise(doc)
    by_text = {b.text: b for b in record.blocks}
    promo = by_text["Win two tickets to the harbour festival this weekend."]
    assert (promo.removed, promo.removed_detail) == ("site_selector", ".promo-strip")
    sponsor = by_text["This newsletter section is sponsored by a local bakery."]
    assert (sponsor.removed, sponsor.removed_detail) == ("site_selector", "#sponsor-note")
    assert record.text.count("\n\n") == 1  # the two article paragraphs, nothing else
    assert "forty minutes" in record.text and "twenty cents" in record.text


def test_without_selectors_the_promo_is_kept_as_text():
    blocks = html_to_blocks(PAGE, [])
    promo = [b for b in blocks if b.text.startswith("Win two tickets")]
    assert promo and promo[0].removed is None


def test_invalid_selector_is_ignored_not_fatal(caplog):
    blocks = html_to_blocks(PAGE, ["p[", ".promo-strip"])
    assert [b.removed for b in blocks if b.text.startswith("Win two")] == ["site_selector"]
    assert "invalid drop selector" in caplog.text
