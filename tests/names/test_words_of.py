"""words_of gives the texts of tokenize's tokens, with and without combining marks in the text."""
import pytest

from normalise.names.text import tokenize, words_of


@pytest.mark.parametrize("text", [
    "Zelenski's talks with Putin-Zelenski in 2022_news, St. Petersburg",
    "Kim Cong-un ² ½ Ⅻ ٣ 日本 ß",
    "Mu\u0308ller and Jose\u0301 met \u0301alone",  # decomposed diacritics, a stray mark at a word's start
    "\u0300\u0301",
    "",
])
def test_words_of_matches_tokenize(text):
    assert words_of(text) == [t.text for t in tokenize(text)]


def test_decomposed_diacritic_stays_inside_its_word():
    assert words_of("Mu\u0308ller") == ["Mu\u0308ller"]
