"""Structural facts the HTML extractor knows about a block, handed to the boilerplate remover.

They ride on the Block instance as a plain attribute (not a dataclass field), so they never
reach `Record.to_dict()` or the record schema: they are working notes of one run, not output.
"""
from __future__ import annotations

from dataclasses import dataclass

from normalise.record import Block

_ATTR = "_structure_hints"


@dataclass
class BlockHints:
    in_main: bool = True  # inside the container the extractor chose as the article
    link_density: float = 0.0  # share of the block's characters inside <a>
    hint_reason: str | None = None  # reason code suggested by a tag/class/id/role inside the article
    hint_detail: str | None = None  # what suggested it, e.g. 'class="share-tools"'
    outside_detail: str | None = None  # why the block is outside the article container
    in_list: bool = False  # inside <ul>/<ol>/<li>
    article_list: bool = False  # a list item of a post made of lists (a link round-up): the post's own text
    repeated_in_page: int = 1  # how many blocks of the page have the same text
    depth: int = 0  # block-level ancestors of the block (how deep in the page it sits)


def set_hints(block: Block, hints: BlockHints) -> None:
    object.__setattr__(block, _ATTR, hints)


def get_hints(block: Block) -> BlockHints | None:
    return getattr(block, _ATTR, None)
