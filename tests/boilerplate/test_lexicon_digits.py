"""The digit gate: patterns that need a digit are skipped on digitless blocks, with the same answers."""
from __future__ import annotations

import re

import pytest

from normalise.boilerplate.lexicon import Lexicon, needs_digit


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"^\d+ minutes ago$", True),
    (r"(19|20)\d\d\s*©", True),
    (r"^posted (?:on )?[0-9]{1,2}\.", True),
    (r"^(?:x\d|y7)$", True),
    (r"^(\d\d?:)+\d\d$", True),
    (r"^©", False),
    (r"^(a|\d)$", False),  # one branch needs no digit
    (r"^\d?$", False),  # optional
    (r"^(\d{1,2}:)*$", False),  # repeated zero or more times
    (r"^[0-9a]$", False),  # a class that also holds a letter
    (r"^[^\d]+$", False),  # a negated class
    (r"^by \w+$", False),
])
def test_needs_digit_holds_only_when_every_match_has_a_digit(pattern, expected):
    assert needs_digit(re.compile(pattern, re.IGNORECASE)) is expected


def test_gate_changes_no_answer_of_the_bundled_lexicon():
    # Own sentences: digitless ones, ASCII digits, and a digit of another script (\d matches it).
    lexicon = Lexicon.load()
    texts = [
        "5 minutes ago", "٥ minutes ago", "An hour ago", "vor 3 Stunden", "By Maren Holt and Ivo Saar",
        "© 2024 Harbour Gazette", "Harbour Gazette © 2023", "12:45", "12.04.2023, 09:30 Uhr",
        "Photo: Lena Brisk", "The ferry left at dawn and reached the island by noon.", "•••", "7",
        "March 3, 2021 at 10:15", "3 de marzo de 2021", "The council met on 3 March to vote on the rota.",
    ]
    assert any(needs_digit(rx) for _, rx in lexicon.patterns)
    assert any(not needs_digit(rx) for _, rx in lexicon.patterns)
    hits = 0
    for text in texts:
        got = [m for m in lexicon._match(text) if m.rule == "patterns"]
        key_matches = [(reason, rx.pattern) for (reason, rx), (_, test, _, limit)
                       in zip(lexicon.patterns, lexicon._pattern_limits, strict=True)
                       if len(text) <= 400 and len(text) <= limit and test(_key(text))]
        assert [(m.reason, m.detail) for m in got] == key_matches, text
        hits += bool(got)
    assert hits >= 8  # digit and digitless patterns both matched


def test_a_digit_pattern_still_matches_text_with_digits(tmp_path):
    extra = tmp_path / "quay.yaml"
    extra.write_text('language: en\nrules:\n  berth:\n    patterns: ["^berth \\\\d+ closed$", "^quay closed$"]\n',
                     encoding="utf-8")
    lexicon = Lexicon.from_files([], [extra])
    assert [m.detail for m in lexicon.match("Berth 12 closed")] == [r"^berth \d+ closed$"]
    assert [m.detail for m in lexicon.match("Quay closed")] == ["^quay closed$"]
    assert lexicon.match("Berth closed") == []


def _key(text: str) -> str:
    from normalise.boilerplate.lexicon import normalise_key

    return normalise_key(text)
