"""learn-names: full-name links with evidence, the matcher's rules, a links file reused across
runs, reviewable, applied above the confidence unless auto-apply is off."""
from __future__ import annotations

import json

import pytest
import yaml

from normalise.cli import main as cli_main
from normalise.names import NameUnifier, learn_cli
from normalise.names.index import get_index
from normalise.names.learn import LearnRecord, propose

STORY = [
    LearnRecord("a", [("Kremlin spokesman Dmitry Peskov said Vladimir Putin would not travel to Istanbul.", True)]),
    LearnRecord("b", [("Kremlin-Sprecher Dmitrij Pieskow said Putin had no plans to meet Zelenskyy.", False),
                      ("His daughter Jelisaweta Pieskowa posted photos from Paris.", False)]),
    LearnRecord("c", [("Pieskow also said Vladimir Putin spoke with Recep Tayyip Erdoğan.", False)]),
]


def test_links_are_full_names_with_evidence():
    links = {(p.entity_id, p.variant): p for p in propose(get_index(world=False), STORY)}
    link = links[("dmitry-peskov", "Pieskow")]
    assert link.full == {"Dmitrij Pieskow"} and link.key_match
    assert link.records == {"b", "c"} and link.count == 2
    assert "vladimir-putin" in link.entities and "RU" in link.countries
    assert 0 < link.confidence <= 1


def test_a_feminine_form_is_never_linked_to_a_man():
    links = propose(get_index(world=False), STORY)
    assert not [p for p in links if p.variant == "Pieskowa"]


def test_names_in_english_source_blocks_are_not_variants():
    records = [LearnRecord("a", [("Kremlin spokesman Dmitry Peskov said Putin would not travel.", True)]),
               LearnRecord("b", [("Dmitrij Pieskow said Putin had no plans to travel.", True)])]
    assert propose(get_index(world=False), records) == []


def _records_file(tmp_path, records):
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


RECORDS = [
    {"id": "r1", "language": "de", "blocks": [
        {"text": "...", "language": "de", "text_en": "Kremlin-Sprecher Dmitrij Pieskow said Putin had no plans."},
        {"text": "Cookie banner", "language": "en", "removed": "cookie_wall"}]},
    {"id": "r2", "language": "de", "blocks": [
        {"text": "...", "language": "de", "text_en": "Pieskow also said Vladimir Putin spoke with Erdoğan."}]},
]


@pytest.fixture
def hand_only(monkeypatch):
    """learn-names over the hand-typed gazetteer (`--no-world-names`), which does not know the
    spellings these records use (the world layer generates them). Returns the `world` argument
    of every index the command asked for."""
    asked: list[bool] = []

    def recording_get_index(paths, world=True):
        asked.append(world)
        return get_index(paths, world=world)

    monkeypatch.setattr(learn_cli, "get_index", recording_get_index)
    return asked


def test_links_file_is_reused_reviewed_and_applied(tmp_path, capsys, hand_only):
    records = _records_file(tmp_path, RECORDS)
    links = tmp_path / "links.yaml"
    assert cli_main(["learn-names", "--no-world-names", str(records), "--links", str(links), "--min-confidence", "0.5"]) == 0
    data = yaml.safe_load(links.read_text(encoding="utf-8"))
    [link] = [lk for lk in data["links"] if lk["variant"] == "Pieskow"]
    assert link["entity_id"] == "dmitry-peskov" and link["status"] == "proposed"
    assert link["evidence"]["records_seen"] == 2 and link["evidence"]["mentions"] == 2
    assert {"id": "dmitry-peskov", "variants": ["Pieskow"]} in data["entities"]
    assert hand_only == [False]  # --no-world-names: the hand-typed gazetteer only

    # a second run over the same records adds no evidence twice
    assert cli_main(["learn-names", "--no-world-names", str(records), "--links", str(links)]) == 0
    again = yaml.safe_load(links.read_text(encoding="utf-8"))
    [link2] = [lk for lk in again["links"] if lk["variant"] == "Pieskow"]
    assert link2["evidence"]["records_seen"] == 2 and link2["evidence"]["mentions"] == 2

    # the links file is a gazetteer file: the names stage uses the links that apply
    [(text, changes)], _ = NameUnifier([links], world=False).unify_blocks(["Pieskow opened a bakery in Lyon."], None)
    assert text == "Peskov opened a bakery in Lyon." and changes[0].method == "exact"

    # a reviewer's status is kept; a rejected link never applies
    again["links"] = [dict(lk, status="rejected") if lk["variant"] == "Pieskow" else lk for lk in again["links"]]
    links.write_text(yaml.safe_dump(again, allow_unicode=True), encoding="utf-8")
    assert cli_main(["learn-names", "--no-world-names", str(records), "--links", str(links)]) == 0
    third = yaml.safe_load(links.read_text(encoding="utf-8"))
    assert [lk["status"] for lk in third["links"] if lk["variant"] == "Pieskow"] == ["rejected"]
    assert not [e for e in third["entities"] if "Pieskow" in e["variants"]]

    capsys.readouterr()
    assert cli_main(["learn-names", "--links", str(links), "--list"]) == 0
    listing = capsys.readouterr().out
    assert "Pieskow -> Dmitry Peskov (dmitry-peskov)" in listing and "rejected" in listing


def test_auto_apply_off_applies_only_accepted_links(tmp_path, hand_only):
    records = _records_file(tmp_path, RECORDS)
    links = tmp_path / "links.yaml"
    assert cli_main(["learn-names", "--no-world-names", str(records), "--links", str(links), "--min-confidence", "0.1",
                     "--no-auto-apply"]) == 0
    data = yaml.safe_load(links.read_text(encoding="utf-8"))
    assert data["auto_apply"] is False and data["links"] and data["entities"] == []
    data["links"][0]["status"] = "accepted"
    links.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli_main(["learn-names", "--no-world-names", str(records), "--links", str(links)]) == 0
    data = yaml.safe_load(links.read_text(encoding="utf-8"))
    assert data["auto_apply"] is False and len(data["entities"]) == 1


def test_a_broken_links_file_is_a_clear_error(tmp_path, capsys):
    links = tmp_path / "links.yaml"
    links.write_text("links: [{variant: X}]\n", encoding="utf-8")
    assert cli_main(["learn-names", "--links", str(links), "--list"]) == 2
    assert "needs entity_id and variant" in capsys.readouterr().err
