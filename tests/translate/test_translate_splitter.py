"""Offline sentence splitting: every configured language, nothing lost, no model downloads."""
from __future__ import annotations

import re

import pytest

from normalise.translate.splitter import MAX_UNIT_CHARS, split_sentences


def _letters(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang,text,expected", [
    ("zh", "双方在伊斯坦布尔举行了第二轮会谈。会谈持续了一个多小时！下一轮会谈在哪里举行？",
     ["双方在伊斯坦布尔举行了第二轮会谈。", "会谈持续了一个多小时！", "下一轮会谈在哪里举行？"]),
    ("el", "Πού θα γίνει ο επόμενος γύρος; Ο κ. Παπαδόπουλος δεν απάντησε. Η σύσκεψη έληξε.",
     ["Πού θα γίνει ο επόμενος γύρος;", "Ο κ. Παπαδόπουλος δεν απάντησε.", "Η σύσκεψη έληξε."]),
    ("ru", "Глава делегации В. Р. Мединский сказал, что т.е. обмен продолжится. Встреча длилась час.",
     ["Глава делегации В. Р. Мединский сказал, что т.е. обмен продолжится.", "Встреча длилась час."]),
    ("uk", "Делегація прибула до Стамбула. Переговори тривали дві години!",
     ["Делегація прибула до Стамбула.", "Переговори тривали дві години!"]),
    ("de", "Am 2. Juni trafen sich die Delegationen, z.B. auch Dr. Weber. Eine Einigung gab es nicht.",
     ["Am 2. Juni trafen sich die Delegationen, z.B. auch Dr. Weber.", "Eine Einigung gab es nicht."]),
    ("fr", "M. Dupont a parlé lundi. « La paix est loin », a-t-il ajouté.",
     ["M. Dupont a parlé lundi.", "« La paix est loin », a-t-il ajouté."]),
    ("en", "The U.S. envoy met Mr. Smith on Monday. Talks resume in July.",
     ["The U.S. envoy met Mr. Smith on Monday.", "Talks resume in July."]),
])
def test_splits_where_sentences_end_and_not_at_abbreviations(lang, text, expected):
    assert split_sentences(text, lang) == expected


def test_semicolon_ends_a_sentence_only_in_greek():
    assert len(split_sentences("The talks ended; Both sides left.", "en")) == 1
    assert len(split_sentences("Τελείωσαν οι συνομιλίες; Όλοι έφυγαν.", "el")) == 2


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "it", "pt", "zh", "ru", "uk", "el"])
def test_no_character_is_lost_or_reordered(lang):
    text = ("Erste Zeile mit Text. Zweite?  Dritte!!! „Zitat.“ Ende... und weiter. 第一句。第二句！"
            " Η πρώτη; Первое предложение. Друге речення.")
    pieces = split_sentences(text, lang)
    assert _letters("".join(pieces)) == _letters(text)


def test_overlong_units_are_cut_at_clause_breaks_within_the_limit():
    clause = "the delegation said that the exchange of prisoners would continue next week"
    text = ", ".join([clause] * 20) + "."
    pieces = split_sentences(text, "en")
    assert len(pieces) > 1 and all(len(p) <= MAX_UNIT_CHARS for p in pieces)
    assert _letters("".join(pieces)) == _letters(text)
    assert all(p.endswith(",") or p.endswith(".") for p in pieces)


def test_empty_and_whitespace_give_no_sentences():
    assert split_sentences("", "de") == [] and split_sentences("  \t ", "zh") == []
