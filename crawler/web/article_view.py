"""The article view's rows: every block in page order, and for kept blocks their English text
cut into plain and changed-name segments.

Name spans in a record are offsets into `title_en` or `text_en` (kept body blocks joined with
BLOCK_SEPARATOR, see normalise/pipeline.py); here they are turned back into offsets inside
each block's own `text_en`. A span that does not fit its block is listed apart, never dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from normalise.pipeline import BLOCK_SEPARATOR


@dataclass
class Segment:
    text: str
    name: dict[str, Any] | None = None  # the NameChange dict when this segment is a changed name


@dataclass
class BlockRow:
    block: dict[str, Any]
    segments: list[Segment] = field(default_factory=list)


@dataclass
class ArticleView:
    rows: list[BlockRow]
    unplaced_names: list[dict[str, Any]]


def _english(block: dict[str, Any]) -> str:
    """The block's English text; the original stands in where there is none (as in the record's text_en)."""
    text = block.get("text_en")
    if text is None:
        text = block.get("text")
    return text if isinstance(text, str) else ""


def _segments(text: str, spans: list[tuple[int, int, dict[str, Any]]]) -> tuple[list[Segment], list[dict]]:
    out: list[Segment] = []
    unplaced: list[dict] = []
    cursor = 0
    for start, end, name in sorted(spans, key=lambda s: (s[0], s[1])):
        if start < cursor or end > len(text) or start >= end:
            unplaced.append(name)
            continue
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], name))
        cursor = end
    if cursor < len(text) or not out:
        out.append(Segment(text[cursor:]))
    return out, unplaced


def _block_offsets(blocks: list[dict[str, Any]]) -> tuple[int | None, dict[int, int]]:
    """(position of the title block, {position: offset of that block's text in text_en})."""
    title_position = None
    offsets: dict[int, int] = {}
    offset = 0
    for block in blocks:
        if block.get("removed"):
            continue
        if block.get("kind") == "title" and title_position is None:
            title_position = block.get("position")
            continue
        offsets[block.get("position", -1)] = offset
        offset += len(_english(block)) + len(BLOCK_SEPARATOR)
    return title_position, offsets


def build(record: dict[str, Any]) -> ArticleView:
    blocks = sorted(record.get("blocks") or [], key=lambda b: b.get("position", 0))
    title_position, offsets = _block_offsets(blocks)
    spans: dict[int, list[tuple[int, int, dict]]] = {}
    unplaced: list[dict[str, Any]] = []
    for name in record.get("names") or []:
        position = name.get("block")
        start, end = name.get("start"), name.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            unplaced.append(name)
        elif name.get("field") == "title_en" and title_position is not None:
            spans.setdefault(title_position, []).append((start, end, name))
        elif position in offsets:
            base = offsets[position]
            spans.setdefault(position, []).append((start - base, end - base, name))
        else:
            unplaced.append(name)
    rows = []
    for block in blocks:
        row = BlockRow(block)
        if not block.get("removed"):
            row.segments, misfits = _segments(_english(block), spans.get(block.get("position", -1), []))
            unplaced.extend(misfits)
        rows.append(row)
    return ArticleView(rows, unplaced)
