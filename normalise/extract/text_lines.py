"""What a line of a text dump still tells about itself, as numbers for the line classifier.

A text copy has lost its markup, but a line keeps its length, its punctuation, how much of it
is function words of the page's language, its digits and separators, where it sits relative to
the title and to the article's prose, what its neighbours look like, whether it repeats in the
page or across pages of the site, and whether a lexicon rule already recognised it.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from normalise.extract.text_stopwords import cjk_function_share, page_stop_language, stop_share, words_of
from normalise.extract.text_title import reads_as_prose, separator_count
from normalise.record import Block

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_IDEOGRAPHS}]|[^\\W{_IDEOGRAPHS}]+")  # an ideograph or kana alone; else a word
_SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’»)\]]*$")
_INNER_PUNCT = re.compile(r"[,;，、；：:]")
_LINK = re.compile(r"https?://|www\.|@\w|\.(com|org|net)\b", re.IGNORECASE)
_DATE_TIME = re.compile(r"\b\d{1,2}:\d\d\b|\b(19|20)\d\d\b|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
WINDOW = 3


@dataclass
class _Line:
    tokens: int
    chars: int
    cjk: float
    ends_sentence: bool
    ends_colon: bool
    inner_punct: float
    stop: float
    digits: float
    capitalised: float
    separators: int
    link: bool
    date: bool
    removed: bool
    template: bool
    repeats: int
    prose: bool
    heading: bool


def _describe(block: Block, language: int | None, words: list[str], repeats: int, template: bool) -> _Line:
    text = block.text
    tokens = _TOKEN.findall(text)
    n = max(len(tokens), 1)
    chars = max(len(text), 1)
    split = text.split()
    cjk_stop = cjk_function_share(text)
    return _Line(
        tokens=len(tokens), chars=len(text), cjk=len(_CJK.findall(text)) / chars,
        ends_sentence=bool(_SENTENCE_END.search(text)), ends_colon=text.endswith((":", "：")),
        inner_punct=len(_INNER_PUNCT.findall(text)) / n, stop=stop_share(words, language) if cjk_stop is None else cjk_stop,
        digits=sum(c.isdigit() for c in text) / chars,
        capitalised=sum(1 for t in split if t[:1].isupper()) / max(len(split), 1),
        separators=separator_count(text), link=bool(_LINK.search(text)), date=bool(_DATE_TIME.search(text)),
        removed=not block.kept, template=template, repeats=repeats, prose=reads_as_prose(text),
        heading=block.kind in ("heading", "title"),
    )


def _own(line: _Line) -> list[float]:
    return [math.log1p(line.tokens), math.log1p(line.chars), line.cjk, float(line.ends_sentence),
            float(line.ends_colon), line.inner_punct, line.stop, line.digits, line.capitalised,
            float(min(line.separators, 5)), float(line.link), float(line.date), float(line.removed),
            float(line.template), float(min(line.repeats, 5)), float(line.prose), float(line.heading)]


OWN_NAMES = ["log_tokens", "log_chars", "cjk_share", "ends_sentence", "ends_colon", "inner_punct",
             "stop_share", "digit_share", "capitalised_share", "separators", "link", "date_or_time",
             "removed_by_rule", "site_template", "repeats_in_page", "prose", "heading"]
_NEIGHBOUR_NAMES = ["log_tokens", "ends_sentence", "stop_share", "removed_by_rule", "prose"]
_OFFSETS = (-2, -1, 1, 2)
FEATURE_NAMES = (
    OWN_NAMES
    + [f"n{o:+d}_{name}" for o in _OFFSETS for name in _NEIGHBOUR_NAMES]
    + ["relative_position", "after_title", "lines_from_title", "before_first_prose", "after_last_prose",
       "lines_to_prose", "prose_share_window", "token_share_window", "tokens_vs_longest",
       "log_page_lines", "page_prose_share", "dropped_after_end_marker"]
)


def _neighbour(line: _Line | None) -> list[float]:
    if line is None:
        return [0.0, 0.0, 0.0, 1.0, 0.0]
    return [math.log1p(line.tokens), float(line.ends_sentence), line.stop, float(line.removed), float(line.prose)]


def line_features(blocks: list[Block], template_hashes: frozenset[str] = frozenset(),
                  revisable: list[bool] | None = None) -> list[list[float]]:
    """One feature vector (FEATURE_NAMES order) per block of a text dump, in block order; `revisable`
    flags the blocks a rule pass dropped only as a guess (after an "end of article" marker)."""
    from normalise.boilerplate.templates import (
        block_fingerprint,  # here: boilerplate imports this module
    )

    if not blocks:
        return []
    words = [words_of(b.text) for b in blocks]
    language = page_stop_language(words)
    fingerprints = [block_fingerprint(b.text) for b in blocks]
    counts = Counter(fingerprints)
    lines = [_describe(b, language, w, counts[fp], fp in template_hashes)
             for b, w, fp in zip(blocks, words, fingerprints, strict=False)]
    n = len(lines)
    title = next((i for i, b in enumerate(blocks) if b.kind == "title"), None)
    prose_at = [i for i, line in enumerate(lines) if line.prose and not line.removed]
    first_prose = prose_at[0] if prose_at else n
    last_prose = prose_at[-1] if prose_at else -1
    longest = max(line.tokens for line in lines) or 1
    total_tokens = sum(line.tokens for line in lines) or 1
    page = [math.log1p(n), len(prose_at) / n]
    out = []
    for i, line in enumerate(lines):
        row = _own(line)
        for offset in _OFFSETS:
            j = i + offset
            row += _neighbour(lines[j] if 0 <= j < n else None)
        window = lines[max(0, i - WINDOW):i + WINDOW + 1]
        to_prose = min((abs(i - p) for p in prose_at), default=n)
        row += [
            i / n,
            float(title is not None and i > title),
            (i - title) / n if title is not None else 0.0,
            float(i < first_prose), float(i > last_prose),
            math.log1p(to_prose),
            sum(1 for x in window if x.prose and not x.removed) / len(window),
            sum(x.tokens for x in window) / total_tokens,
            line.tokens / longest,
        ]
        row += page
        row.append(float(bool(revisable and revisable[i])))
        out.append(row)
    return out
