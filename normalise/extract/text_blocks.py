"""Split a plain-text dump of a page (one block per line, like a scraped text file) into blocks."""
from __future__ import annotations

import re

from normalise.extract.text_stopwords import page_stop_language, words_of
from normalise.extract.text_title import title_index
from normalise.langid.scripts import cjk_count, ending_with
from normalise.record import Block

_HEADING_MAX_WORDS = 15
# A line ending like a sentence (or a label ending in a colon) is not a heading; ? and ! may end one.
_SENTENCE_END = ending_with(".。:：;；…")
_DASHED_HEADING = re.compile(r"^[-–—]\s*\S.*\S\s*[-–—]$")  # wire-service subheads: "- Prisoner swap -"


def _words(line: str) -> int:
    cjk = cjk_count(line)
    return len(line.split()) + (cjk // 2 if cjk else 0)


def text_to_blocks(text: str) -> list[Block]:
    """One block per non-empty line; short lines that do not end like a sentence are headings,
    and the first line above the article's prose that reads like a headline (not navigation) is the title."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    blocks: list[Block] = []
    for line in lines:
        kind = "paragraph"
        if _DASHED_HEADING.match(line) or (_words(line) <= _HEADING_MAX_WORDS and not _SENTENCE_END.search(line)):
            kind = "heading"
        blocks.append(Block(text=line, kind=kind, position=len(blocks)))
    title = title_index(lines, page_stop_language([words_of(line) for line in lines]))
    if title is not None:
        blocks[title].kind = "title"
    return blocks
