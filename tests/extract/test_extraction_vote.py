"""The extraction vote: the rule on hand-made blocks, the pipeline with it on and off, a missing peer."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from normalise import InputDocument
from normalise.config import NormaliserConfig
from normalise.extract import peers as peers_module
from normalise.extract.ensemble import ExtractionVote
from normalise.extract.peers import PeerUnavailable
from normalise.extract.vote import VOTE_REASON, VoteRule, apply_vote
from normalise.pipeline import Normaliser
from normalise.record import Block

REPO = Path(__file__).resolve().parents[2]

STORY = [
    "The old river ferry carried its first passengers of the year on Monday morning after repairs.",
    "Its captain said the crossing now takes six minutes instead of nine with the new engine.",
    "The council paid for the work from its harbour fund and expects a ferry every half hour.",
]
OTHER = "Readers also liked: ten ways to grow tomatoes on a windy balcony this summer"
PARAGRAPHS = [f"{s} It was a calm day on the water and many people came to watch." for s in STORY]
PAGE = f"""<html><head><title>River ferry returns</title></head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<article><h1>River ferry returns after winter repairs</h1>
{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}
<p>Tickets cost the same as last year, and children under twelve still travel free with an adult.</p>
</article><footer>All rights reserved.</footer></body></html>"""


def _blocks(*specs: tuple[str, str | None]) -> list[Block]:
    return [Block(text=text, kind="paragraph", position=i, removed=removed) for i, (text, removed) in enumerate(specs)]


def test_a_kept_block_no_peer_has_is_removed_with_a_reason_and_the_peers_named():
    blocks = _blocks((STORY[0], None), (STORY[1], None), (OTHER, None))
    decisions = apply_vote(blocks, {"a": " ".join(STORY[:2]), "b": STORY[0] + " " + STORY[1]}, VoteRule())
    assert [b.removed for b in blocks] == [None, None, VOTE_REASON]
    assert "a, b" in blocks[2].removed_detail
    assert decisions == [{"block": 2, "action": "removed", "was": None, "agreed": [], "voters": ["a", "b"]}]


def test_one_peer_having_the_block_is_enough_to_keep_it():
    blocks = _blocks((STORY[0], None), (OTHER, None))
    apply_vote(blocks, {"a": STORY[0], "b": STORY[0] + " " + OTHER}, VoteRule())
    assert all(b.kept for b in blocks)


def test_a_peer_with_almost_no_text_abstains_and_no_voter_means_no_change():
    blocks = _blocks((STORY[0], None), (STORY[1], None), (OTHER, None))
    assert apply_vote(blocks, {"a": "Menu", "b": None}, VoteRule()) == []
    assert all(b.kept for b in blocks)


def test_restoring_needs_every_peer_and_a_structural_reason():
    rule = VoteRule(drop=False, restore=True)
    blocks = _blocks((STORY[0], None), (STORY[1], "outside_article"), (STORY[2], "cookie_wall"))
    everything = " ".join(STORY)
    decisions = apply_vote(blocks, {"a": everything, "b": everything}, rule)
    assert [b.removed for b in blocks] == [None, None, "cookie_wall"]  # a lexicon match is never taken back
    assert decisions[0]["action"] == "restored" and decisions[0]["was"] == "outside_article"
    blocks = _blocks((STORY[0], None), (STORY[1], "outside_article"))
    apply_vote(blocks, {"a": everything, "b": STORY[0]}, rule)
    assert blocks[1].removed == "outside_article"


def test_edges_only_keeps_an_unsupported_block_amid_supported_ones():
    blocks = _blocks((STORY[0], None), (OTHER, None), (STORY[1], None), (OTHER + " again", None))
    apply_vote(blocks, {"a": STORY[0] + " " + STORY[1]}, VoteRule(edges_only=True))
    assert [b.removed for b in blocks] == [None, None, None, VOTE_REASON]


def test_outlier_rule_restores_what_both_agreeing_peers_have():
    rule = VoteRule(agree_share=0.7, restore=True, outlier_margin=0.05)
    blocks = _blocks((STORY[0], None), (OTHER, None), (STORY[1], "outside_article"), (STORY[2], "outside_article"))
    article = " ".join(STORY)
    apply_vote(blocks, {"a": article, "b": article}, rule)
    assert [b.removed for b in blocks] == [None, VOTE_REASON, None, None]
    blocks = _blocks((STORY[0], None), (OTHER, None), (STORY[1], "outside_article"))
    assert apply_vote(blocks, {"a": article, "b": OTHER}, rule) == []  # the peers disagree: no vote


def test_token_pairs_decide_not_single_shared_words():
    shuffled = " ".join(reversed(STORY[0].split()))  # the same words in another order
    blocks = _blocks((STORY[1], None), (STORY[0], None))
    apply_vote(blocks, {"a": STORY[1] + " " + shuffled}, VoteRule())
    assert blocks[1].removed == VOTE_REASON


def _records(config: NormaliserConfig, vote: ExtractionVote | None = None):
    normaliser = Normaliser(config)
    if vote is not None:
        normaliser.vote = vote
    return normaliser.normalise(InputDocument(id="ferry", html=PAGE, url="https://example.org/ferry"))


def test_vote_off_runs_no_peer_and_changes_nothing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a peer ran with the vote off")

    monkeypatch.setattr(peers_module, "run_peers", refuse)
    monkeypatch.setattr(peers_module, "load_peers", refuse)
    default = _records(NormaliserConfig(translate=False))
    off = _records(NormaliserConfig(translate=False, extraction_vote="off"))
    assert Normaliser(NormaliserConfig(translate=False)).vote is None
    assert off.to_dict() == default.to_dict()
    assert "extraction_vote" not in off.metadata


def test_pipeline_with_the_vote_on_removes_what_no_peer_has_and_records_it():
    story_only = "River ferry returns after winter repairs. " + " ".join(STORY)
    vote = ExtractionVote("always", peers={"one": lambda html: story_only, "two": lambda html: ""}, rule=VoteRule())
    record = _records(NormaliserConfig(translate=False, extraction_vote="off"), vote)
    removed = [b for b in record.blocks if b.removed == VOTE_REASON]
    assert [b.text for b in removed] == [
        "Tickets cost the same as last year, and children under twelve still travel free with an adult."]
    assert all(s in record.text for s in STORY)
    assert record.metadata["extraction_vote"]["peers"] == {"one": len(story_only), "two": 0}
    assert record.metadata["extraction_vote"]["changed"][0]["voters"] == ["one"]  # "two" found nothing: abstained


def test_shipped_rule_votes_only_where_the_peers_agree_with_each_other_better_than_with_the_rules():
    shorter = "River ferry returns after winter repairs. " + " ".join(PARAGRAPHS[:2])
    agreeing = ExtractionVote("always", peers={"one": lambda html: shorter, "two": lambda html: shorter})
    record = _records(NormaliserConfig(translate=False), agreeing)
    assert [b.text for b in record.blocks if b.removed == VOTE_REASON] == [
        PARAGRAPHS[2], "Tickets cost the same as last year, and children under twelve still travel free with an adult."]
    differing = ExtractionVote("always", peers={"one": lambda html: shorter, "two": lambda html: STORY[0]})
    record = _records(NormaliserConfig(translate=False), differing)
    assert not any(b.removed == VOTE_REASON for b in record.blocks)
    assert record.metadata["extraction_vote"]["changed"] == []


def test_pipeline_with_the_real_peers_keeps_the_article():
    pytest.importorskip("trafilatura")
    pytest.importorskip("readability")
    record = _records(NormaliserConfig(translate=False, extraction_vote="always"))
    assert all(s in record.text for s in STORY)
    assert set(record.metadata["extraction_vote"]["peers"]) == {"trafilatura", "readability"}


def test_gated_vote_skips_a_page_the_rules_kept_almost_whole():
    calls = []
    vote = ExtractionVote("gated", peers={"one": lambda html: calls.append(html) or ""}, gate=0.5)
    record = _records(NormaliserConfig(translate=False), vote)
    assert calls == [] and "extraction_vote" not in record.metadata


def test_a_missing_peer_library_is_a_clear_error_at_start_up(monkeypatch):
    real_import = importlib.import_module

    def no_readability(name, *args):
        if name == "readability":
            raise ImportError("No module named 'readability'")
        return real_import(name, *args)

    monkeypatch.setattr(peers_module.importlib, "import_module", no_readability)
    with pytest.raises(PeerUnavailable, match=r"readability-lxml.*news-ingest\[vote\]"):
        Normaliser(NormaliserConfig(translate=False, extraction_vote="gated"))


def test_an_unknown_vote_mode_is_refused():
    with pytest.raises(ValueError, match="extraction_vote must be one of off, gated, always"):
        Normaliser(NormaliserConfig(translate=False, extraction_vote="sometimes"))


def test_cli_with_the_vote_on_and_a_peer_missing_is_a_usage_error_naming_the_package(tmp_path):
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "readability.py").write_text("raise ImportError(\"No module named 'readability'\")\n")
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NEWS_DATA_DIR"}
    env.update(PYTHONPATH=str(shadow), XDG_DATA_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-m", "normalise", "--no-translate", "--extraction-vote", "always", str(page)],
                          capture_output=True, check=False, cwd=REPO, env=env, timeout=600)
    assert proc.returncode == 2
    assert b"readability-lxml" in proc.stderr and b"news-ingest[vote]" in proc.stderr
    assert proc.stdout == b""
