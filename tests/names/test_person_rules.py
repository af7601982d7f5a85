"""Person-name rules measured on the sixth held-out set (people) and the real-text run: a surname
used as a group's name, a shared given name with a namesake's spelling, and Russian soft signs.
Sentences are our own."""
from __future__ import annotations

import pytest

from .helpers import left_as_written, unify

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text", [
    "Yemen's Houthi rebels seized a cargo ship off the coast of Hodeidah.",
    "In Yemen the Houthis have held the capital since 2014.",
    "A Houthi-run court in Yemen sentenced the aid workers.",
    "Exiles from Syria described the Assad regime's prisons.",
    "The Assad family ruled Syria for more than fifty years.",
])
def test_a_surname_naming_a_group_stays_as_written(text):
    candidates = left_as_written(text)
    assert any("names a family or a group" in c["reason"] for c in candidates)


def test_the_same_surname_naming_the_person_still_changes():
    texts, _, _ = unify("In Yemen, Houthi said in a speech that the blockade would go on.")
    assert texts == ["In Yemen, al-Houthi said in a speech that the blockade would go on."]
    texts, _, _ = unify("Syria's former president Assad fled to Moscow in December.")
    assert texts == ["Syria's former president al-Assad fled to Moscow in December."]
