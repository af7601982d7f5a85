"""Block-level vote between the normaliser's extraction and other extractors' texts of the same page.

After the boilerplate passes, each body block is looked up in every peer's main text
(normalise/extract/peers.py): a peer "has" a block when at least `agree_share` of the block's token
pairs (its token, for a one-token block) occur in the peer's text. Then:
- a kept block that no peer has (with `keep_needs_all`: that not every peer has) is removed with the
  reason code "extraction_vote" (when `drop`);
- a block removed for a structural reason (outside the container, a class/id hint, link density,
  see RESTORABLE) that every peer has is kept again (when `restore`).
With `outlier_margin` (the shipped rule) this happens only on pages where the peers agree with each
other clearly better than with the normaliser's kept text. Without it, a peer abstains on a page when
its text holds fewer tokens than `min_peer_share` of the kept text (it failed on the page), and the
vote needs `min_voters` peers that did not abstain.
Every decision is recorded (block position, action, the reason the rules had, which peers had the
block), so nothing changes silently.
Why: ensembles of extractors beat each single one (Bevendorff et al., SIGIR 2023); the numbers and
the rule's choice are in docs/extraction.md, "Extraction vote".
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from normalise.langid.scripts import IDEOGRAPHIC
from normalise.record import Block

_TOKEN = re.compile(f"[{IDEOGRAPHIC}]|[^\\W{IDEOGRAPHIC}]+")
VOTE_REASON = "extraction_vote"
BODY_KINDS = ("paragraph", "heading", "list_item", "quote", "standfirst")
# Removal reasons the vote may take back: the rules' structural guesses. Lexicon matches (cookie walls,
# logins, share prompts, paywalls), duplicates, templates and bylines are never restored.
RESTORABLE = frozenset(("outside_article", "related_links", "navigation", "widget", "trailing_heading",
                        "section_tag", "advert", "comments"))


@dataclass(frozen=True)
class VoteRule:
    agree_share: float = 0.5  # share of a block's token pairs a peer's text must hold to "have" the block
    drop: bool = True  # remove a kept block that no peer has
    restore: bool = False  # keep a structurally removed block that every peer has
    min_tokens: int = 1  # shorter blocks are left as the rules decided
    min_peer_share: float = 0.3  # a peer whose text is smaller than this share of the kept text abstains
    min_voters: int = 1  # peers that must take part for the vote to change anything
    # drop only at the edges: kept blocks before the first or after the last kept block some peer has
    # (trailing comments, related lists, leading labels), never a block amid supported text
    edges_only: bool = False
    # vote only on pages where the normaliser is the odd one out: the peers' texts agree with each other
    # (bag-of-tokens F1) by more than this margin above the best agreement of the normaliser's kept text
    # with any peer; None = vote on every page
    outlier_margin: float | None = None
    keep_needs_all: bool = False  # a kept block stays when every peer has it (else: when any peer has it)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


@dataclass
class PeerText:
    """A peer's text as the vote looks it up: its tokens and token pairs."""

    name: str
    bag: Counter[str]
    bigrams: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, name: str, text: str) -> PeerText:
        toks = tokens(text)
        return cls(name, Counter(toks), frozenset(pairwise(toks)))

    @property
    def size(self) -> int:
        return self.bag.total()

    def support(self, block_tokens: list[str]) -> float:
        """Share of the block's token pairs (its one token) found in this peer's text."""
        if not block_tokens:
            return 0.0
        if len(block_tokens) == 1:
            return 1.0 if block_tokens[0] in self.bag else 0.0
        pairs = list(pairwise(block_tokens))
        return sum(1 for p in pairs if p in self.bigrams) / len(pairs)


@dataclass
class Ballot:
    """What the vote knows about one block: its size and each voting peer's support for it."""

    n_tokens: int
    support: dict[str, float]


def candidate(block: Block, rule: VoteRule) -> bool:
    """Blocks the vote may change: body blocks that are kept (when dropping) or removed for a
    restorable reason (when restoring)."""
    if block.kind not in BODY_KINDS:
        return False
    return (block.kept and rule.drop) or (block.removed in RESTORABLE and rule.restore)


def voters(peer_sizes: Mapping[str, int], kept_tokens: int, rule: VoteRule) -> list[str]:
    """Peers that take part on this page ([] when too few do): a peer with (almost) no text abstains."""
    # with outlier_margin the peers' agreement with each other shows they did not fail: size is no test
    least = 0 if rule.outlier_margin is not None else rule.min_peer_share * kept_tokens
    names = [n for n, size in peer_sizes.items() if size > 0 and size >= least]
    return names if len(names) >= rule.min_voters else []


def decide(block: Block, ballot: Ballot, names: list[str], rule: VoteRule,
           inside: bool = False) -> tuple[str, list[str]] | None:
    """("removed" | "restored", peers that had the block) when the vote changes the block, else None.
    `inside`: the block lies between kept blocks that peers have (only matters with `edges_only`)."""
    if not names or ballot.n_tokens < rule.min_tokens or not candidate(block, rule):
        return None
    agreed = [n for n in names if ballot.support[n] >= rule.agree_share]
    kept_by_peers = len(agreed) == len(names) if rule.keep_needs_all else bool(agreed)
    if block.kept and not kept_by_peers and not (rule.edges_only and inside):
        return "removed", agreed
    if not block.kept and len(agreed) == len(names):
        return "restored", agreed
    return None


def plan(blocks: list[Block], ballots: list[Ballot | None], names: list[str], rule: VoteRule
         ) -> list[tuple[int, str, list[str]]]:
    """(block index, action, peers that agreed) for every block the vote changes; ballots[i] is
    None for a block that is not a candidate."""
    if not names:
        return []
    supported = [i for i, (b, ballot) in enumerate(zip(blocks, ballots, strict=True))
                 if ballot is not None and b.kept and any(ballot.support[n] >= rule.agree_share for n in names)]
    first, last = (supported[0], supported[-1]) if supported else (len(blocks), -1)
    changes = []
    for i, (block, ballot) in enumerate(zip(blocks, ballots, strict=True)):
        if ballot is not None:
            decision = decide(block, ballot, names, rule, first < i < last)
            if decision is not None:
                changes.append((i, *decision))
    return changes


def kept_body_bag(blocks: list[Block]) -> Counter[str]:
    return Counter(t for b in blocks if b.kept and b.kind in BODY_KINDS for t in tokens(b.text))


def overlap(a: Counter[str], b: Counter[str]) -> float:
    """Bag-of-tokens F1 of two texts (1.0 for two empty ones)."""
    total = a.total() + b.total()
    return 2 * (a & b).total() / total if total else 1.0


def normaliser_is_outlier(kept: Counter[str], peers: list[PeerText], margin: float) -> bool:
    """The peers agree with each other by more than `margin` above the kept text's best agreement with one of them."""
    if len(peers) < 2:
        return False
    among = min(overlap(a.bag, b.bag) for i, a in enumerate(peers) for b in peers[i + 1:])
    return among > max(overlap(kept, p.bag) for p in peers) + margin


def ballots_for(blocks: list[Block], texts: Mapping[str, PeerText], names: list[str],
                rule: VoteRule) -> list[Ballot | None]:
    """Each candidate block's ballot (None for the others)."""
    ballots: list[Ballot | None] = []
    for block in blocks:
        if names and candidate(block, rule):
            block_tokens = tokens(block.text)
            ballots.append(Ballot(len(block_tokens), {n: texts[n].support(block_tokens) for n in names}))
        else:
            ballots.append(None)
    return ballots


def apply_vote(blocks: list[Block], peers: Mapping[str, str | None], rule: VoteRule) -> list[dict]:
    """Apply the vote to the blocks (in place, given each peer's text of the page, None for a peer
    that failed); returns the decisions, one dict per changed block."""
    texts = {name: PeerText.of(name, text) for name, text in peers.items() if text is not None}
    kept = kept_body_bag(blocks)
    names = voters({n: t.size for n, t in texts.items()}, kept.total(), rule)
    if rule.outlier_margin is not None and not normaliser_is_outlier(kept, [texts[n] for n in names], rule.outlier_margin):
        return []
    changes = plan(blocks, ballots_for(blocks, texts, names, rule), names, rule)
    return [record_decision(blocks[i], action, agreed, names) for i, action, agreed in changes]


def record_decision(block: Block, action: str, agreed: list[str], names: list[str]) -> dict:
    """Change the block as decided; the dict says what changed and which peers agreed."""
    entry = {"block": block.position, "action": action, "was": block.removed, "agreed": agreed, "voters": names}
    if action == "removed":
        block.removed, block.removed_detail = VOTE_REASON, f"in none of the other extractors' texts ({', '.join(names)})"
    else:
        block.removed = block.removed_detail = None
    return entry
