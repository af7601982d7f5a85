"""Name spans of a record (offsets into title_en / text_en) placed back into their blocks."""
from __future__ import annotations

from crawler.web.article_view import build
from crawler.web.queries import RecordQuery, translation_state
from normalise.config import NormaliserConfig
from normalise.inputs import InputDocument
from normalise.pipeline import Normaliser

PAGE = ("<html lang='en'><head><title>Talks in Kiev</title></head><body>"
        "<div class='cookie-banner'><p>We use cookies to improve your experience. Accept all cookies or manage "
        "your cookie settings.</p></div><article><h1>Talks in Kiev</h1>"
        "<p>Delegations met in Kiev on Monday to discuss the exchange of prisoners of war, officials said.</p>"
        "<p>President Zelenski said the talks in Kiev were useful, and Kiev would send a team again.</p>"
        "</article></body></html>")


def _record() -> dict:
    normaliser = Normaliser(NormaliserConfig(translate=False))
    return normaliser.normalise(InputDocument(id="x", html=PAGE.encode(), url="https://x.example/a")).to_dict()


def test_every_name_change_is_highlighted_in_its_own_block_at_its_canonical_form():
    record = _record()
    assert len(record["names"]) >= 4  # title, two body blocks, several mentions in one block
    view = build(record)
    assert view.unplaced_names == []
    marks = [(row.block["position"], seg.text, seg.name["canonical"])
             for row in view.rows for seg in row.segments if seg.name]
    assert len(marks) == len(record["names"])
    assert all(text == canonical for _, text, canonical in marks)
    by_block = {row.block["position"]: "".join(s.text for s in row.segments) for row in view.rows if row.segments}
    assert all(by_block[p] == row.block["text_en"] for row in view.rows for p in [row.block["position"]]
               if row.segments)
    assert any(row.block.get("removed") for row in view.rows)  # removed blocks stay, in page order
    assert [row.block["position"] for row in view.rows] == sorted(row.block["position"] for row in view.rows)


def test_a_span_outside_its_block_is_listed_not_dropped_or_misplaced():
    record = _record()
    broken = dict(record["names"][-1], start=10_000, end=10_005)
    record["names"].append(broken)
    view = build(record)
    assert view.unplaced_names == [broken]


def test_translation_state_and_warning_filters():
    english = {"blocks": [{"translation": "source_english"}, {"removed": "cookie_wall", "translation": "x"}]}
    mixed = {"blocks": [{"translation": "translated"}, {"translation": "untranslated"}], "warnings": ["w"]}
    assert translation_state(english) == "english"
    assert translation_state(mixed) == "untranslated"
    assert translation_state({"blocks": [{"translation": "translated"}]}) == "translated"
    assert translation_state({"blocks": []}) == "none"
    assert RecordQuery.from_strings(warnings="yes").matches(mixed)
    assert not RecordQuery.from_strings(warnings="no").matches(mixed)
    assert RecordQuery.from_strings(translation="english", warnings="no").matches(english)
