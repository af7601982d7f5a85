"""The extraction vote as a pipeline step (NormaliserConfig.extraction_vote): which pages are voted
on, running the other extractors there, and recording the outcome in the record's metadata.

Modes: "off" (the rules alone), "always" (every HTML page), "gated" (only pages where the rules
themselves look unsure, see `unsure`). The rule is normalise/extract/vote.py's; the measured
effect of each mode is in docs/extraction.md, "Extraction vote".
"""
from __future__ import annotations

from normalise.extract.peers import PeerExtractor, load_peers, run_peers
from normalise.extract.vote import BODY_KINDS, VoteRule, apply_vote
from normalise.record import Block
from normalise.stages import DocumentContext

MODES = ("off", "gated", "always")
PEERS = ("trafilatura", "readability")
# The rule chosen leave-one-set-out (docs/extraction.md, "Extraction vote"): on pages where the peers
# agree with each other better (by 0.1 F1) than with the rules' text, drop kept blocks no peer has and restore
# structurally removed blocks both have (70% of the block's token pairs in the peer's text).
RULE = VoteRule(agree_share=0.7, drop=True, restore=True, outlier_margin=0.1)
# "gated": vote only when the rules removed more than a tenth of the page's body text
GATE_KEPT_SHARE = 0.9


def kept_share(blocks: list[Block]) -> float:
    """Share of the page's body-block characters the rules kept."""
    body = [b for b in blocks if b.kind in BODY_KINDS]
    total = sum(len(b.text) for b in body)
    return sum(len(b.text) for b in body if b.kept) / total if total else 1.0


class ExtractionVote:
    def __init__(self, mode: str, peers: dict[str, PeerExtractor] | None = None, rule: VoteRule = RULE,
                 gate: float = GATE_KEPT_SHARE):
        if mode not in MODES:
            raise ValueError(f"extraction_vote must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self.rule = rule
        self.gate = gate
        # PeerUnavailable here, at start-up, when a peer library is missing (not on the first page)
        self.peers = (peers if peers is not None else load_peers(PEERS)) if mode != "off" else {}

    def unsure(self, blocks: list[Block]) -> bool:
        return self.mode == "always" or kept_share(blocks) < self.gate

    def apply(self, blocks: list[Block], html: str, ctx: DocumentContext) -> None:
        """Vote on this page's blocks (in place) when the mode says so; decisions go to
        ctx.metadata["extraction_vote"]."""
        if self.mode == "off" or not self.unsure(blocks):
            return
        texts = run_peers(self.peers, html)
        decisions = apply_vote(blocks, texts, self.rule)
        ctx.metadata["extraction_vote"] = {
            "peers": {name: ("failed" if text is None else len(text)) for name, text in texts.items()},
            "changed": decisions,
        }
