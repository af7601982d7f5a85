"""Per-page shortcuts of the names stage give the answers of the slow path they replace."""
from __future__ import annotations

import pytest

from normalise.names.gazetteer import add_files, load_gazetteer
from normalise.names.index import NameIndex, get_index
from normalise.names.keys import skeleton
from normalise.names.text import is_latin, tokenize, tokens_of, words_of


@pytest.mark.parametrize("text", [
    "",
    "Zelenski's visit to Kyiv-Pechersk, 2024.",
    "Putin-Zelenski talks_in  Istanbul\u00a0(Türkiye) 12:05 p.m.",
    "Cafe\u0301 cafe\u0301 e\u0301clair \u0301alone",  # decomposed diacritics stay inside their word
    "东京 Tokyo 東京都 and Москва/Moskau — «Kiew» „Selenskyj“",
    "a a a aa aaa a",  # the same word again and again
    "x1y2z3 __init__ e-mail O’Brien d'Alembert",
    "नमस्ते दुनिया Hindi पाठ",  # marks outside the Latin combining range split words
])
def test_tokens_from_words_are_the_tokenizer_tokens(text):
    assert tokens_of(text, words_of(text)) == tokenize(text)


def _key_start_uncached(index: NameIndex, word: str) -> bool:
    """The key layer's test for a word, computed from scratch (what it asked before the memo)."""
    low, first = word.lower(), index.key_first
    may_start = skeleton(word) in first or (len(word) >= 5 and word[-1] == "s" and skeleton(word[:-1]) in first)
    return (word[:1].isupper() and may_start and is_latin(word)
            and not (low in index.common or index.is_title(word) or index.folder.fold(word) in index.known_folds
                     or low in index.common_english))


def test_the_remembered_key_start_answer_is_the_computed_one():
    index = get_index()
    words = words_of("Sholts und Netanjahu trafen Selenskyjs Berater in Kiew; the Minister, Berlin, "
                     "Medwedews Schoigu said Mertz and Uitkof, Президент Trump, Haus Regierung I")
    index._key_starts.clear()
    first = [index.may_start_key(w) for w in words]
    again = [index.may_start_key(w) for w in words]  # answered from the memo
    assert first == again == [_key_start_uncached(index, w) for w in words]
    assert any(first) and not all(first)  # both answers occur: the comparison can fail


def test_the_key_start_memo_is_forgotten_when_entities_are_added(tmp_path):
    index = NameIndex(load_gazetteer())
    word = "Sbigniewsky"
    assert skeleton(word) == skeleton("Zbigniewski")
    assert not index.may_start_key(word)  # no known key starts so: remembered as False
    extra = tmp_path / "mine.yaml"
    extra.write_text("entities:\n  - id: piotr-zbigniewski\n    type: person\n    canonical: Piotr Zbigniewski\n"
                     "    surname: Zbigniewski\n    given: [Piotr]\n", encoding="utf-8")
    index.add_entities(add_files(index.gazetteer, [extra]))
    assert index.may_start_key(word) == _key_start_uncached(index, word) is True


@pytest.mark.parametrize("module", ["normalise.names.keys", "normalise.names.text"])
def test_runs_of_a_letter_collapse_as_with_the_backreference_template(module):
    import importlib

    mod = importlib.import_module(module)
    for s in ["", "a", "aa", "zelenskyy", "mmmississsippi", "abcabc", "JJaaJ", "xyz", "aabbccdd"]:
        assert mod._REPEATS.sub(mod._ONE_OF_RUN, s) == mod._REPEATS.sub(r"\1", s)
    assert skeleton("Schtschukkin") == skeleton("Shchukin")  # doubled letters still collapse in keys
