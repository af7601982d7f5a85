"""Name forms holding words that are also ordinary words of the text (Wang I, Kim Chen In, BACK
IN, Being -> Beijing): read as a name only when the mention, the document or a role word says so;
and a hyphenated given name with a lower-case syllable written without diacritics (Kim Cong-un)."""
from __future__ import annotations

import pytest

from normalise.names.ordinary import OrdinaryWords, doubtful_word
from normalise.names.text import tokenize, words_of

from .helpers import left_as_written, unify


def _doubt(text: str, mention: str, canonical: str):
    toks = tokenize(text)
    start = text.index(mention)
    s = next(i for i, t in enumerate(toks) if t.start == start)
    e = next(i for i, t in enumerate(toks) if t.end == start + len(mention)) + 1
    words = OrdinaryWords([words_of(text)])
    return doubtful_word(text, toks, s, e, frozenset(w.casefold() for w in words_of(canonical)), words)


def test_a_single_letter_needs_evidence_and_a_stop_word_needs_a_name_beside_it():
    doubt = _doubt("Mr Wang I think was right.", "Wang I", "Wang Yi")
    assert doubt is not None and doubt.word == "I" and not doubt.refused  # other mentions or a role word may vouch
    assert _doubt("Kim Chen In received the minister.", "Kim Chen In", "Kim Jong Un") is None
    assert _doubt("KIM CHEN IN VISITS RUSSIA", "KIM CHEN IN", "Kim Jong Un") is None
    assert _doubt("Said Chengriha reviewed the troops.", "Said Chengriha", "Saïd Chengriha") is None
    # a letter before the rest of a name inside a sentence is part of it; opening a sentence, it may be the pronoun
    assert _doubt("Mun Če-in and I Če-mjong replied.", "I Če-mjong", "Lee Jae-myung") is None
    doubt = _doubt("I Jae-myeong replied.", "I Jae-myeong", "Lee Jae-myung")
    assert doubt is not None and doubt.word == "I" and not doubt.refused


def test_ordinary_words_only_or_after_a_full_stop_are_never_a_name():
    doubt = _doubt("TALKS BACK IN GENEVA", "BACK IN", "Park Jin")
    assert doubt is not None and doubt.word == "BACK" and "ordinary" in doubt.refused
    doubt = _doubt("Being a port city, it grew fast.", "Being", "Beijing")
    assert doubt is not None and doubt.refused
    doubt = _doubt("They met Wang. I was told more later.", "Wang. I", "Wang Yi")
    assert doubt is not None and doubt.word == "I" and "new sentence" in doubt.refused


def test_words_of_the_canonical_name_syllables_and_initials_are_not_doubted():
    assert _doubt("Kim Cong-un spoke.", "Kim Cong-un", "Kim Jong Un") is None  # un: a syllable
    assert _doubt("Lai Ch'ing-te spoke.", "Lai Ch'ing-te", "Lai Ching-te") is None
    assert _doubt("J. D. Vance spoke.", "J. D. Vance", "JD Vance") is None  # initials with their dots
    assert _doubt("Le Pen spoke.", "Le Pen", "Marine Le Pen") is None  # Le is the name's own word


def test_stop_words_are_english_and_the_language_the_document_clearly_uses():
    german = OrdinaryWords([words_of("Die Regierung und der Kanzler sind sich nicht einig, das ist auch klar. "
                                     "Er hat es am Montag in Deutschland gesagt, und sie hat nicht widersprochen.")])
    english = OrdinaryWords([words_of("The government and the chancellor do not agree, which is clear.")])
    assert german.is_stop("Und") and german.is_stop("The")
    assert not german.is_stop("Deutschland")  # in the German list, but a document never writes it in lower case
    assert not english.is_stop("Und") and english.is_stop("The")
    assert english.is_ordinary("A") and not english.is_ordinary("Wang")


def test_a_stop_word_the_list_writes_in_lower_case_is_ordinary_and_a_given_language_needs_no_count():
    # one short German sentence: too few stop words to tell its language, unless it is given
    told = OrdinaryWords([words_of("Dabei bleibt es.")], "de")
    guessed = OrdinaryWords([words_of("Dabei bleibt es.")])
    assert told.is_stop("Dabei") and not guessed.is_stop("Dabei")
    assert not told.is_stop("Deutschland")  # listed capitalised: a name the list holds, not a word
    assert OrdinaryWords([["x"]], "xx").is_stop("The")  # an unknown code: English stop words still apply


def test_a_word_the_document_writes_in_lower_case_is_ordinary_there():
    words = OrdinaryWords([words_of("Island life is quiet; the island has one store and a harbour.")])
    assert words.is_ordinary("Island") and words.is_ordinary("Store")
    assert not words.is_ordinary("Harbours") and not words.is_ordinary("Iceland")
    assert _doubt("Island life is quiet; the island has one store.", "Island", "Iceland").refused


@pytest.mark.slow
def test_a_name_followed_by_the_pronoun_stays_and_is_a_candidate():
    text = "Mr Wang I think was right to leave the talks early."
    candidates = left_as_written(text)
    assert [(c["original"], c["entity_id"]) for c in candidates] == [("Wang I", "wang-yi")]


@pytest.mark.slow
def test_a_role_word_or_another_mention_vouches_for_the_letter():
    texts, changes, _ = unify("Foreign Minister Wang I warned Taipei.", "China's foreign minister, Van I, spoke.")
    assert texts == ["Foreign Minister Wang Yi warned Taipei.", "China's foreign minister, Wang Yi, spoke."]
    assert all("role word 'foreign minister'" in c.evidence for c in changes)
    texts, changes, _ = unify("Wang Yi arrived in Berlin on Monday.", "Later, Wang I met the chancellor.")
    assert texts[1] == "Later, Wang Yi met the chancellor."
    assert "entity named elsewhere in the document" in changes[0].evidence


@pytest.mark.slow
def test_a_full_stop_or_ordinary_words_only_never_make_a_name_even_in_a_story_about_it():
    blocks = ["Wang Yi visited Beijing on Monday.", "They met Wang. I was told the talks went well.",
              "Being a port city, Macau grew fast. Make no mistake: any delay costs money. BACK IN BUSINESS",
              "Makes about ten cups."]  # a genitive -s is read off the word: Make, not Macau's
    texts, _, candidates = unify(*blocks)
    assert texts[1:] == blocks[1:]
    assert {c["original"] for c in candidates} >= {"Wang. I", "Being", "Make", "BACK IN"}


@pytest.mark.slow
def test_a_hyphenated_given_name_with_a_lower_case_syllable_is_matched_without_diacritics():
    texts, changes, _ = unify("Kim Cong-un met Mun Ce-in at the border.")
    assert texts == ["Kim Jong Un met Moon Jae-in at the border."]
    assert {c.method for c in changes} == {"normalised"}
    text = "Kim Cong un and Mun Ce in spoke."  # lower case without a hyphen: not a name
    assert unify(text)[0] == [text]
