"""Spellings of major places through Russian and Wade-Giles."""
from __future__ import annotations

from normalise.names.translit.places import MIN_POPULATION, place_variants


def test_russian_names_romanised_again():
    forms = place_variants("city", "CN", 20_000_000, ["Пекин", "Пекін", "Бейжің"])
    assert forms["Pekin"] == "russian>en"
    assert not any("zh" in f.lower() and "ing" in f for f in forms)  # Kazakh Бейжің is not Russian
    assert place_variants("country", "TW", 0, ["Тайвань"])["Tayvan"] == "russian>en"


def test_chinese_places_in_wade_giles_and_palladius():
    assert place_variants("city", "CN", 3_000_000, ["上海"])["Shang-hai"].startswith("chinese:wade_giles")
    beijing = place_variants("city", "CN", 20_000_000, [], "Beijing")
    assert "Peiching" in beijing and "Pei-ching" in beijing  # the Wade-Giles syllables of bei jing
    assert beijing["Beytszin"] == "chinese:palladius>en"  # Бэйцзин


def test_minor_places_get_nothing():
    assert place_variants("city", "CN", MIN_POPULATION - 1, ["Пекин"], "Beijing") == {}
    assert place_variants("city", "DE", 3_000_000, [], "Berlin") == {}  # pinyin rules are for Chinese places
