"""Boilerplate removal: mark every block that is not article text, with a reason code.

Blocks are never deleted: a dropped block keeps its place in the record with `removed`
(reason code) and `removed_detail` (what matched), so a user can audit every decision.
Signals, in the order they are applied (normalise/boilerplate/passes.py):
  1. the page title: a site-name suffix is split off into metadata["site_name"];
  2. lexicons (normalise/boilerplate/lexicons/*.yaml + user files): cookie walls, login and
     newsletter forms, paywalls, read-also lists, widgets, copyright, sources, ...;
  3. page structure from the HTML extractor: outside the article container, chrome tags and
     class/id hints inside it, link-dense lists;
  4. the end of the article: after a copyright notice or a "Read also" heading;
  5. repetition inside the page: one copy of a repeated caption kept as kind "caption";
  6. site templates learned across pages of the source (ctx.template_hashes);
  7. position: section labels before the article, bios and bylines after it.
"""
from __future__ import annotations

from normalise.boilerplate.lexicon import Lexicon, LexiconError
from normalise.boilerplate.passes import run_passes
from normalise.boilerplate.templates import (
    TemplateReport,
    block_fingerprint,
    learn_site_templates,
)
from normalise.extract.block_model import BlockModel, load_block_model
from normalise.record import Block
from normalise.stages import DocumentContext

__all__ = ["BoilerplateRemover", "LexiconError", "TemplateReport", "block_fingerprint", "learn_site_templates"]


class BoilerplateRemover:
    def __init__(self, lexicon_paths=(), block_model: BlockModel | None | bool = False):
        self.lexicon_paths = tuple(lexicon_paths)
        self.lexicon = Lexicon.load(self.lexicon_paths)  # loaded once per set of paths, then cached
        # False/None: rules only (the default: the shipped block classifier does not beat the rules on
        # left-out benchmark sets, see docs/extraction.md); True: the shipped classifier; or a BlockModel
        self.block_model = load_block_model() if block_model is True else (block_model or None)

    def apply(self, blocks: list[Block], ctx: DocumentContext) -> list[Block]:
        run_passes(blocks, ctx, self.lexicon, self.block_model)
        return blocks
