"""Split a plain-text dump of a page (one block per line, like a scraped text file) into blocks."""
from __future__ import annotations

import re

from normalise.record import Block

_HEADING_MAX_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?。！？…\"”»:]$")


def text_to_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        kind = "paragraph"
        if len(line.split()) <= _HEADING_MAX_WORDS and not _SENTENCE_END.search(line):
            kind = "heading"
        blocks.append(Block(text=line, kind=kind, position=len(blocks)))
    if blocks and blocks[0].kind == "heading":
        blocks[0].kind = "title"
    return blocks
