"""Keep the text of HTML nested deeper than libxml2 will parse.

libxml2 stops building the tree at 256 levels (2048 with huge_tree) and drops everything
after that point, including the rest of the page: 10,000 nested <div>s (hostile) or a few
hundred unclosed <font>s (broken) would silently cost the article. When the parser reports
that limit, the page is re-tokenised here with the tags below `max_depth` removed (their
text stays, a <br> stands in for a removed block tag so its text remains a block of its own)
and parsed again.
"""
from __future__ import annotations

import re

# Tags, comments and raw-text elements, in document order. Script/style bodies are matched whole
# so a "<div>" inside a script does not count as nesting.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*?(/?)>",
    re.S | re.I)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_INLINE = frozenset("a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strong sub sup "
                    "time u var".split())
# libxml2's limit without XML_PARSE_HUGE; flattening well below it leaves room for the page's own wrapper tags.
PARSER_DEPTH_LIMIT = 256
DEFAULT_MAX_DEPTH = 200


def depth_limit_hit(parser) -> bool:
    """True when the lxml parser gave up because the document was nested too deeply."""
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def flatten_deep_nesting(html: str, max_depth: int = DEFAULT_MAX_DEPTH) -> tuple[str, int]:
    """(html with tags deeper than `max_depth` removed, how many tags were removed).

    Linear in the size of the page; only the tags themselves are removed, never text.
    """
    out: list[str] = []
    stack: list[str] = []
    dropped_open: dict[str, int] = {}  # tag name -> opened below the limit and removed
    removed = 0
    last = 0
    for match in _TOKEN.finditer(html):
        name = match.group(3)
        if name is None:  # a comment or a raw-text element: copied as is
            continue
        name = name.lower()
        closing, self_closing = match.group(2) == "/", match.group(4) == "/"
        keep = True
        if closing:
            if dropped_open.get(name):
                dropped_open[name] -= 1
                keep = False
            elif name in stack:
                while stack and stack.pop() != name:
                    pass
        elif name not in _VOID and not self_closing:
            if len(stack) >= max_depth:
                dropped_open[name] = dropped_open.get(name, 0) + 1
                keep = False
            else:
                stack.append(name)
        if not keep:
            out.append(html[last:match.start()])
            out.append("" if name in _INLINE else "<br>")
            last = match.end()
            removed += 1
    out.append(html[last:])
    return "".join(out), removed
