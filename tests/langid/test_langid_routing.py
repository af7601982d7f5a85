"""Script routing, cue letters, function-word confirmation and the guard's triggers (real lingua)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalise.config import DEFAULT_LANGUAGES
from normalise.langid import LanguageIdentifier
from normalise.langid.detector import _detectors
from normalise.langid.profile import profile_for
from normalise.langid.scripts import _exact_counts, block_script, script_counts
from normalise.record import Block
from normalise.stages import DocumentContext

ENGLISH = [
    "The delegations met on Monday in Istanbul and agreed to exchange a thousand prisoners of war each.",
    "Officials said the next round of talks would take place after the summer, if both sides agree to it.",
    "The negotiations lasted just over an hour and were described by both sides as difficult but useful.",
]


def _assign(identifier, texts, **ctx):
    blocks = [Block(text=t, position=i) for i, t in enumerate(texts)]
    doc = identifier.assign(blocks, DocumentContext(id="t", **ctx))
    return doc, [b.language for b in blocks]


def _lingua_calls() -> int:
    return sum(d.texts_scored for d in _detectors.values())


# -- scripts ----------------------------------------------------------------------------------
_ALPHABETS = st.sampled_from(["abcXYZ éüßñł", "привіт ЁЖ", "αβγ ΩΆ", "中文字", "かなカナ", "한글", "مرحبا", "שלום",
                              "0123 .,;:!?()«»—“”", "สวัสดี", "ǅǈſı", "・。，"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_ALPHABETS, st.integers(0, 30)), max_size=8), st.randoms())
def test_fast_script_counts_agree_with_the_exact_count(parts, rnd):
    text = "".join(rnd.choice(alphabet) for alphabet, n in parts for _ in range(n))
    fast, exact = script_counts(text), _exact_counts(text)
    assert fast == exact


@pytest.mark.parametrize("text,script", [
    ("Hello world", "Latin"),
    ("唐纳德・特朗普说，会谈很有成效。", "Han"),  # the katakana middle dot is not Japanese
    ("これは日本語の文章です", "Kana"),
    ("用法：git remote add <名称> <地址>", "Han"),  # a Chinese character weighs about three Latin letters
    ("Xi Jinping (习近平) told the delegates that the talks had gone well.", "Latin"),
    ("Делегації зустрілися", "Cyrillic"),
    ("00:00 — 12/05", None),
])
def test_block_script(text, script):
    assert block_script(script_counts(text)) == script


# -- profile ----------------------------------------------------------------------------------
def test_function_words_shared_by_two_configured_languages_are_ignored():
    words = profile_for(tuple(sorted(DEFAULT_LANGUAGES))).words
    assert words["the"] == "en" and words["und"] == "de" and words["não"] == "pt"
    assert "de" not in words and "la" not in words  # French, Spanish, Portuguese / French, Spanish, Italian


def test_foreign_letters_are_the_ones_no_configured_language_uses():
    profile = profile_for(tuple(sorted(DEFAULT_LANGUAGES)))
    assert profile.foreign_letters("Wałęsa z Łodzi", "Latin") == 3  # ł ę Ł
    assert profile.foreign_letters("Ça coûte très cher, señor Müller", "Latin") == 0
    assert profile.foreign_letters("SIJ STRASSE", "Latin") == 0  # ı/ſ capitalise to ASCII: not foreign
    assert profile.foreign_letters("Србија и Југославија", "Cyrillic") == 3  # ј Ј ј


def test_cue_letters_settle_only_when_one_language_shows_them():
    profile = profile_for(tuple(sorted(DEFAULT_LANGUAGES)))
    assert profile.cue_language("Київ і Львів", ("ru", "uk")) == "uk"
    assert profile.cue_language("Вы это видели?", ("ru", "uk")) == "ru"
    assert profile.cue_language("Москва и Киев", ("ru", "uk")) is None


# -- routing without lingua -------------------------------------------------------------------
def test_scripts_with_one_candidate_and_cue_letters_need_no_lingua(identifier):
    texts = ["Οι αντιπροσωπείες συναντήθηκαν τη Δευτέρα στην Κωνσταντινούπολη.",
             "双方代表团星期一在伊斯坦布尔会面，讨论交换战俘问题。",
             "Делегації зустрілися в понеділок у Стамбулі, щоб обговорити обмін.",
             "Делегации встретились в понедельник, чтобы обсудить обмен военнопленными."]
    before = _lingua_calls()
    assert _assign(identifier, texts)[1] == ["el", "zh", "uk", "ru"]
    assert _lingua_calls() == before


@pytest.mark.parametrize("text", [
    "今回の会談では、双方が捕虜の交換について合意したと発表されました。",  # Japanese: kana, never Chinese
    "التقى الوفدان يوم الاثنين في إسطنبول لمناقشة تبادل الأسرى.",  # Arabic: no configured language
    "양측 대표단은 월요일 이스탄불에서 만나 포로 교환을 논의했다.",  # Korean
])
def test_scripts_no_configured_language_uses_are_unsupported(identifier, text):
    assert _assign(identifier, ENGLISH + [text])[1][-1] == "unsupported"


def test_paragraphs_in_the_page_language_are_confirmed_by_function_words(identifier):
    page = ENGLISH * 3
    _assign(identifier, page[:1])  # the sample of a one-block page
    before = _lingua_calls()
    doc, langs = _assign(identifier, page + ["Officials said on Tuesday that the talks would resume after the summer."])
    assert doc == "en" and set(langs) == {"en"}
    assert _lingua_calls() - before <= 1  # only the page sample (the rest confirmed or cached)


@pytest.mark.parametrize("lang,text", [
    ("en", "The council approved the new harbour budget on Monday evening."),
    ("de", "Der Stadtrat hat am Montag den neuen Haushalt für den Hafen beschlossen."),
    ("fr", "Le conseil municipal a adopté lundi soir le nouveau budget du port, qui sera présenté aux habitants."),
    ("es", "El consejo aprobó el lunes por la noche el nuevo presupuesto del puerto con los votos de la mayoría."),
    ("it", "Il consiglio comunale ha approvato lunedì il nuovo bilancio del porto, che sarà presentato ai cittadini nella prossima settimana."),
    ("pt", "O conselho aprovou na segunda-feira o novo orçamento do porto com os votos da maioria."),
])
def test_function_words_alone_settle_a_page_of_clear_prose(identifier, lang, text):
    before = _lingua_calls()
    assert _assign(identifier, [text]) == (lang, [lang])
    assert _lingua_calls() == before  # neither lingua nor the guard was asked


@pytest.mark.parametrize("text", [
    "Officials met the press in the capital on Tuesday.",  # two function words: confirmed, not decisive
    "The señora said that the council was right about the budget.",  # ñ: a letter English does not use
])
def test_text_without_decisive_function_words_goes_to_lingua(identifier, text):
    before = _lingua_calls()
    assert _assign(identifier, [text])[0] == "en"
    assert _lingua_calls() > before


def test_cyrillic_chrome_without_cue_letters_follows_the_page_without_lingua(identifier):
    page = ["Делегации встретились в понедельник, чтобы обсудить обмен военнопленными.", "Главная", "Новости регионов"]
    before = _lingua_calls()
    assert _assign(identifier, page) == ("ru", ["ru", "ru", "ru"])
    assert _lingua_calls() == before  # no other language's words or letters: nothing to ask lingua


def test_a_paragraph_in_another_configured_language_deviates_from_the_page(identifier):
    german = "Die Delegationen haben sich am Montag in Istanbul getroffen und über einen Austausch gesprochen."
    assert _assign(identifier, ENGLISH + [german])[1] == ["en", "en", "en", "de"]


# -- the guard ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "De delegaties kwamen maandag in Istanbul bijeen om een uitwisseling van gevangenen te bespreken.",  # Dutch
    "Delegationerna träffades på måndagen i Istanbul för att diskutera ett utbyte av krigsfångar.",  # Swedish
    "Delegasyonlar pazartesi günü İstanbul'da bir araya gelerek esir takasını görüştü.",  # Turkish
    "Делегациите се срещнаха в понеделник в Истанбул, за да обсъдят размяната на военнопленници.",  # Bulgarian
])
def test_unconfigured_paragraph_inside_an_english_page_is_unsupported(identifier, text):
    assert _assign(identifier, ENGLISH + [text])[1] == ["en", "en", "en", "unsupported"]


def test_headline_like_english_lines_on_an_english_page_stay_english(identifier):
    lines = ["Lenovo IdeaPad 5 Ryzen 7 5700U 14\" 1080p Laptop with 1TB SSD for $649.99",
             "July 12 – Grand Rapids, MI @ Van Andel Arena",
             "Maria Kowalczyk, a.k.a. DJ Mosaic. Photo: Tom Berens"]
    langs = _assign(identifier, ENGLISH + lines)[1]
    assert "unsupported" not in langs


def test_an_unconfigured_page_is_checked_block_by_block(identifier):
    dutch = ["De regering heeft dinsdag een nieuw voorstel ingediend om de energieprijzen te verlagen.",
             "Volgens de minister moeten huishoudens daardoor volgend jaar gemiddeld minder betalen.",
             "De oppositie noemde het plan onvoldoende en vroeg om extra steun voor de laagste inkomens."]
    doc, langs = _assign(identifier, dutch + [ENGLISH[0]])
    assert doc == "en"  # the only configured text on the page
    assert langs == ["unsupported"] * 3 + ["en"]


def test_with_one_configured_language_other_languages_are_unsupported_not_forced():
    only_english = LanguageIdentifier(("en",))
    german = "Die Delegationen haben sich am Montag in Istanbul getroffen und über einen Austausch gesprochen."
    assert _assign(only_english, ENGLISH + [german])[1] == ["en", "en", "en", "unsupported"]


def test_answers_are_cached_per_text(identifier):
    text = "Le gouvernement a présenté mardi un projet de loi sur le financement des retraites."
    _assign(identifier, [text])
    before = _lingua_calls()
    assert _assign(identifier, [text])[1] == ["fr"]
    assert _lingua_calls() == before


def test_lazy_loading_gives_the_same_answers():
    lazy = LanguageIdentifier(DEFAULT_LANGUAGES, preload=False)
    texts = ENGLISH + ["Nous utilisons des cookies pour personnaliser le contenu et analyser le trafic du site."]
    assert _assign(lazy, texts)[1] == ["en", "en", "en", "fr"]
