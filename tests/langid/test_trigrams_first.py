"""On a page whose language several blocks settled, another block is scored by lingua's trigrams
first (0.1 s of CPU to load); high-accuracy mode (every n-gram size for a text under 120
letters, seconds to load) is asked only about the blocks the trigrams do not settle."""
from __future__ import annotations

from normalise.langid.detector import get_detector
from normalise.record import Block
from normalise.stages import DocumentContext

# Two paragraphs whose English function words settle the page's language without lingua.
PAGE = [
    "The harbour board said on Tuesday that the repairs to the north quay would be finished by the end of the summer.",
    "Ferry services to the islands will run from the south quay until then, with an extra crossing in the evening.",
]


def _labelled(identifier, monkeypatch, extra: str) -> tuple[str | None, bool, bool]:
    """`extra` as the page's first block: its language, and whether the high-accuracy and the
    trigram-only detectors of the Latin-script languages were asked about it."""
    candidates = identifier.profile.route("Latin").candidates
    asked: dict[bool, list[str]] = {False: [], True: []}
    for low_accuracy in asked:
        detector = get_detector(candidates, low_accuracy=low_accuracy)

        def spy(texts, scored=detector.confidences, seen=asked[low_accuracy]):
            seen.extend(texts)
            return scored(texts)
        monkeypatch.setattr(detector, "confidences", spy)
    blocks = [Block(text=t, position=i) for i, t in enumerate([extra, *PAGE])]
    identifier.assign(blocks, DocumentContext(id="t"))
    return blocks[0].language, extra in asked[False], extra in asked[True]


def test_a_headline_the_trigrams_place_in_the_page_language_needs_no_high_accuracy_model(identifier, monkeypatch):
    headline = "Quay repairs: harbour board backs overnight dredging plan"
    assert 40 <= len(headline) < 120 and identifier.profile.word_hits(headline)[1] == {}  # lingua is asked
    assert _labelled(identifier, monkeypatch, headline) == ("en", False, True)


def test_a_headline_in_another_configured_language_is_still_asked_in_high_accuracy_mode(identifier, monkeypatch):
    headline = "Le conseil municipal adopte le budget du port de pêche"
    assert _labelled(identifier, monkeypatch, headline) == ("fr", True, True)


def test_letters_the_page_language_does_not_use_skip_the_trigram_answer(identifier, monkeypatch):
    # Swedish: trigrams of the six Latin-script languages tend to read it as English.
    language, high, _ = _labelled(identifier, monkeypatch, "Kommunfullmäktige godkänner ny budget för hamnen i höst")
    assert high and language != "en"


def test_words_uncommon_in_the_page_language_skip_the_trigram_answer(identifier):
    # Basque in plain ASCII letters: no letter check can object, but its words are not English ones.
    basque = "Udalak portuko kaia konpontzeko aurrekontua onartu du gaur goizean"
    english = "Quay repairs: harbour board backs overnight dredging plan"
    sure = [("en", 0.99), ("de", 0.01)]
    assert basque.isascii()
    assert not identifier._trigrams_settle(basque, sure, "en")
    assert identifier._trigrams_settle(english, sure, "en")


def test_a_text_of_no_words_keeps_the_trigram_answer(identifier):
    assert identifier._trigrams_settle("2024 - 2025", [("en", 0.99), ("de", 0.01)], "en")
