"""Walk an HTML document and emit its text blocks in reading order, with a kind for each."""
from __future__ import annotations

import lxml.html

from normalise.record import Block

_KIND_BY_TAG = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "p": "paragraph", "blockquote": "quote", "figcaption": "caption", "li": "list_item",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe")


def html_to_blocks(html: str, drop_selectors: list[str] | None = None) -> list[Block]:
    root = lxml.html.document_fromstring(html)
    for el in root.iter(*_DROP_TAGS):
        el.drop_tree()
    for selector in drop_selectors or []:
        for el in root.cssselect(selector):
            el.drop_tree()
    blocks: list[Block] = []
    for el in root.iter(*_KIND_BY_TAG):
        if any(anc.tag in _KIND_BY_TAG for anc in el.iterancestors()):
            continue  # nested block: its text is already in the outer one
        text = " ".join(el.text_content().split())
        if text:
            blocks.append(Block(text=text, kind=_KIND_BY_TAG[el.tag], position=len(blocks)))
    return blocks
