"""Property-based fuzzing of the normaliser on random HTML, random text and random bytes:
it never raises, every record is valid per the published JSON Schema, and every word of
`text` comes from the input (the normaliser removes and reorders nothing into new words).
"""
from __future__ import annotations

import re
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalise import InputDocument
from normalise.config import NormaliserConfig
from normalise.pipeline import Normaliser
from normalise.schema import validate_record

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCRIPT_MARK = "SCRIPTONLYTOKEN"  # appears only inside <script>/<style>: must never reach the text

# Text of pages: any printable character except markup; whitespace of every kind.
_TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"), blacklist_characters="<>&")
_WORD = st.text(_TEXT_CHARS, min_size=1, max_size=12)
_TEXT = st.lists(st.one_of(_WORD, st.sampled_from([" ", "\n", "\t", "\u00a0", "  \n  "])), max_size=25).map("".join)
_BLOCK = ["div", "p", "article", "section", "main", "li", "ul", "h1", "h2", "blockquote", "figure", "figcaption",
          "nav", "aside", "footer", "header", "td", "tr", "table", "form", "button"]
_INLINE = ["span", "b", "i", "a", "em", "strong", "small", "time"]
_CLASSES = ["", "content", "article-body", "cookie-banner", "related", "share", "nav", "byline", "caption",
            "comments", "newsletter", "advert", "story"]


@lru_cache(maxsize=1)
def normaliser() -> Normaliser:
    return Normaliser(NormaliserConfig(translate=False))


def _element(children):
    tag = st.sampled_from(_BLOCK + _INLINE)
    cls = st.sampled_from(_CLASSES)
    return st.tuples(tag, cls, st.lists(children, max_size=5)).map(
        lambda t: f'<{t[0]}{f" class={t[1]!r}" if t[1] else ""}>' + "".join(t[2]) + f"</{t[0]}>")


_NODE = st.recursive(_TEXT, _element, max_leaves=40)
_EXTRAS = st.sampled_from(["", f"<script>var a = '{SCRIPT_MARK}';</script>", f"<style>.{SCRIPT_MARK} {{}}</style>",
                           "<br>", "<hr>", "<img src=x.png>", "<!-- a comment -->", "</div>", "<p>"])


@st.composite
def pages(draw) -> str:
    body = "".join(draw(st.lists(st.one_of(_NODE, _EXTRAS), max_size=8)))
    title = draw(st.one_of(st.just(""), _TEXT.map(lambda t: f"<title>{t}</title>")))
    return f"<html><head>{title}</head><body>{body}</body></html>"


def _words(text: str) -> list[str]:
    return text.split()


def _check(record) -> None:
    data = record.to_dict()
    validate_record(data)  # the contract holds for every record, error records included
    assert data["id"] == "fuzz"


@FUZZ
@given(pages())
def test_random_html_never_raises_and_invents_no_words(html):
    record = normaliser().normalise(InputDocument(id="fuzz", html=html))
    _check(record)
    if record.error is not None:
        assert record.error.code in ("empty_input", "not_html")
        return
    # What a reader sees: tags, comments and script/style bodies removed, the text around them joined
    # (as a browser joins "000<script>..</script>0" into "0000"). Every output word must be a piece of it.
    visible = re.sub(r"<(script|style)>.*?</\1>|<!--.*?-->", "", html, flags=re.S)
    page_text = re.sub(r"<[^>]*>", "", visible)
    for word in _words(record.text) + _words(record.title or ""):
        assert word in page_text, (word, html)
    assert SCRIPT_MARK not in record.text and SCRIPT_MARK not in (record.title or "")


@FUZZ
@given(pages())
def test_random_html_as_utf8_bytes_gives_the_same_text_as_the_str(html):
    as_str = normaliser().normalise(InputDocument(id="fuzz", html=html))
    as_bytes = normaliser().normalise(InputDocument(id="fuzz", html=html.encode("utf-8")))
    _check(as_bytes)
    assert (as_bytes.text, as_bytes.title) == (as_str.text, as_str.title)


@FUZZ
@given(st.text(max_size=400))
def test_random_text_never_raises_and_invents_no_words(text):
    record = normaliser().normalise(InputDocument(id="fuzz", text=text))
    _check(record)
    if record.error is not None:
        assert record.error.code == "empty_input" and not text.replace("\x00", "").strip()
        return
    source_words = set(text.replace("\x00", "").split())
    for word in _words(record.text) + _words(record.title or ""):
        assert word in source_words, (word, text)


@FUZZ
@given(st.binary(max_size=600), st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                                 "text/html; charset=gbk", "text/html; charset=bogus-enc"]))
def test_random_bytes_never_raise_and_give_a_valid_record(body, content_type):
    record = normaliser().normalise(InputDocument(id="fuzz", html=body, content_type=content_type))
    _check(record)
