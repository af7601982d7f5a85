"""Shorten single HTML nodes too large for libxml2 before the page is parsed.

libxml2 refuses a text node, comment, script body or attribute value of 10,000,000 bytes or more
(XML_MAX_TEXT_LENGTH without huge_tree) and stops building the tree there: an inline script, a
data: URI or a comment that large before the article cost the whole article ("no article text
found"). Lifting the limit (huge_tree) would let a hostile page cost gigabytes instead. So any
such node is cut down here, with a warning naming what was cut: comments, scripts and styles are
emptied, an oversized tag loses its attributes, a text run is truncated. No node an article needs
comes close to MAX_NODE_CHARS.
"""
from __future__ import annotations

import re

MAX_NODE_CHARS = 1_000_000  # far below libxml2's 10,000,000 bytes even at 4 bytes a character

_RAW = re.compile(r"<(script|style)\b[^>]*>|<!--", re.IGNORECASE)
_TAG_NAME = re.compile(r"/?[A-Za-z][A-Za-z0-9:-]*")


def _drop_raw_bodies(html: str, limit: int, notes: list[str]) -> str:
    """Empty every comment, <script> and <style> whose body is `limit` characters or longer."""
    out: list[str] = []
    pos = 0
    lower = None
    for m in _RAW.finditer(html):
        if m.start() < pos:
            continue  # inside a body already skipped
        if m.group(0) == "<!--":
            end = html.find("-->", m.end())
            close_end = len(html) if end < 0 else end + 3
            body_end = len(html) if end < 0 else end
        else:
            if lower is None:
                lower = html.lower()
            end = lower.find(f"</{m.group(1).lower()}", m.end())
            body_end = len(html) if end < 0 else end
            close_end = body_end
        size = body_end - m.end()
        if size >= limit:
            what = "comment" if m.group(0) == "<!--" else f"<{m.group(1).lower()}>"
            notes.append(f"a {what} of {size} characters was emptied before parsing (parser limit)")
            out.append(html[pos:m.start()])
            if what != "comment":
                out.append(m.group(0))  # the element stays, empty; its closing tag follows
            pos = close_end
    if not notes:
        return html
    out.append(html[pos:])
    return "".join(out)


def _shorten_runs(html: str, limit: int, notes: list[str]) -> str:
    """A run of `limit`+ characters without '<': an oversized tag loses its attributes, an
    oversized text node is truncated.

    The runs are found by stepping from one '<' to the next (linear in the page): a regular
    expression for "limit or more characters other than '<'" rescans every shorter run from each of
    its positions, which took minutes on a page with a few long runs under the limit."""
    out: list[str] = []
    copied = start = 0
    end = len(html)
    while start < end:
        stop = html.find("<", start)
        if stop < 0:
            stop = end
        if stop - start >= limit:
            out.append(html[copied:start])
            out.append(_shorten_run(html[start:stop], start > 0, limit, notes))
            copied = stop
        start = stop + 1
    if not out:
        return html
    out.append(html[copied:])
    return "".join(out)


def _shorten_run(run: str, after_lt: bool, limit: int, notes: list[str]) -> str:
    name = _TAG_NAME.match(run) if after_lt else None
    if name is None:
        return _truncate(run, limit, notes)
    close = run.find(">")
    tag, text = (run, "") if close < 0 else (run[:close + 1], run[close + 1:])
    if len(tag) >= limit:
        notes.append(f"a <{name.group(0)}> tag of {len(tag)} characters lost its attributes before parsing")
        tag = name.group(0) + ">"
    if len(text) >= limit:
        text = _truncate(text, limit, notes)
    return tag + text


def _truncate(text: str, limit: int, notes: list[str]) -> str:
    notes.append(f"a text node of {len(text)} characters was cut to {limit - 1} before parsing (parser limit)")
    return text[:limit - 1]


def shorten_huge_nodes(html: str, limit: int = MAX_NODE_CHARS) -> tuple[str, list[str]]:
    """(html with no single node of `limit` characters or more, one warning per node shortened)."""
    if len(html) < limit:
        return html, []
    notes: list[str] = []
    html = _drop_raw_bodies(html, limit, notes)
    html = _shorten_runs(html, limit, notes)
    return html, notes
