"""Split a plain-text dump of a page (one block per line, like a scraped text file) into blocks."""
from __future__ import annotations

import re

from normalise.langid.scripts import cjk_count, ending_with
from normalise.record import Block

_HEADING_MAX_WORDS = 15
_TITLE_MAX_WORDS = 30
# A line ending like a sentence (or a label ending in a colon) is not a heading; ? and ! may end one.
_SENTENCE_END = ending_with(".。:：;；…")
_DASHED_HEADING = re.compile(r"^[-–—]\s*\S.*\S\s*[-–—]$")  # wire-service subheads: "- Prisoner swap -"


def _words(line: str) -> int:
    cjk = cjk_count(line)
    return len(line.split()) + (cjk // 2 if cjk else 0)


def text_to_blocks(text: str) -> list[Block]:
    """One block per non-empty line; short lines that do not end like a sentence are headings,
    and a first line that reads like a headline is the title."""
    blocks: list[Block] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        kind = "paragraph"
        if _DASHED_HEADING.match(line) or (_words(line) <= _HEADING_MAX_WORDS and not _SENTENCE_END.search(line)):
            kind = "heading"
        blocks.append(Block(text=line, kind=kind, position=len(blocks)))
    if blocks and not _SENTENCE_END.search(blocks[0].text) and _words(blocks[0].text) <= _TITLE_MAX_WORDS:
        blocks[0].kind = "title"
    return blocks
