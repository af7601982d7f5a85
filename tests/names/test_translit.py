"""Generated name variants: each convention's rules on real names."""
from __future__ import annotations

import pytest

from normalise.names.translit import cyrillic, korean, respell, scripts, to_cyrillic
from normalise.names.translit.variants import person_variants


@pytest.mark.parametrize("native, convention, expected", [
    ("Зеленський", "de", "Selenskyj"),
    ("Зеленський", "pl", "Zełenski"),
    ("Зеленський", "en_press", "Zelenskyy"),
    ("Зеленский", "fr", "Zelenski"),
    ("Медведев", "de", "Medwedew"),
    ("Медведев", "pl", "Miedwiediew"),
    ("Лавров", "pl", "Ławrow"),
    ("Шойгу", "fr", "Choïgou"),
    ("Шойгу", "cs", "Šojgu"),
    ("Шойгу", "de", "Schoigu"),  # a glide before a consonant is i in German, j at a word end
    ("Зеленський", "en_wire", "Zelenskiy"),
    ("Сергей", "de", "Sergej"),
    ("Юрий Ушаков", "de", "Juri Uschakow"),
    ("Харьков", "es", "Jarkov"),
    ("Київ", "de", "Kyjiw"),
    ("Андрей Белоусов", "de", "Andrej Beloussow"),  # voiceless s between vowels
    ("Сергей Лавров", "fr", "Sergueï Lavrov"),  # g stays hard before e and i in French and Spanish
    ("Сергей", "es", "Serguei"),
    ("Владимир Путин", "fr", "Vladimir Poutine"),
    ("Евгений Пригожин", "fr", "Evgueni Prigojine"),  # a word-initial е is plain e in French
    ("Алексей Навальный", "de", "Alexej Nawalny"),  # кс is x in German and French
    ("Валерій Залужний", "de", "Walerij Saluschnyj"),  # Ukrainian -ий
    ("Валерій Залужний", "pl", "Wałerij Załużny"),
    ("Александар Вучић", "en", "Aleksandar Vuchich"),  # Serbian letters go through the Russian spelling
    ("Вучић", "pl", "Wuczicz"),
])
def test_cyrillic_into_each_convention(native, convention, expected):
    assert cyrillic.romanize(native, convention) == expected


def test_unknown_convention_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown Cyrillic convention 'xx'"):
        cyrillic.romanize("Путин", "xx")


def test_chinese_pinyin_wade_giles_and_russian_palladius():
    forms = scripts.chinese_variants("习近平")
    assert forms["pinyin"] == "Xi Jinping"
    assert forms["wade_giles"] == "Hsi Chin-p'ing"
    assert forms["palladius"] == "Си Цзиньпин"
    assert cyrillic.romanize(forms["palladius"], "en") == "Si Tszinpin"
    assert scripts.chinese_variants("王毅")["pinyin"] == "Wang Yi"


def test_korean_revised_and_mccune_reischauer():
    forms = korean.korean_variants("윤석열")
    assert forms["rr"] == "Yun Seogyeol"
    assert forms["mr"] == "Yun Sŏk-yŏl"
    assert forms["press"] == "Yoon Seok-yeol"
    assert korean.korean_variants("김정은")["mr_plain"] == "Kim Chong-un"


def test_japanese_hepburn_from_kana_with_long_vowel_spellings():
    assert scripts.kana_to_hepburn("しんぞう") == "shinzou"
    assert scripts.kana_to_hepburn("はっとり") == "hattori"
    assert scripts.kana_to_hepburn("きょう") == "kyou"
    forms = scripts.japanese_variants("こうの", "たろう")
    assert forms["hepburn"] == "Taro Kono"
    assert forms["hepburn_macron"] == "Tarō Kōno"
    assert forms["hepburn_oh"] == "Taroh Kohno"


def test_greek_elot_and_phonetic():
    assert scripts.greek_variants("Κυριάκος Μητσοτάκης") == ["Kyriakos Mitsotakis", "Kiriakos Mitsotakis"]


@pytest.mark.parametrize("name, language, russian, english", [
    ("Friedrich Merz", "de", "Фридрих Мерц", "Fridrikh Merts"),
    ("Mark Rutte", "nl", "Марк Рютте", "Mark Ryutte"),
    ("JD Vance", "en", "JD Вэнс", "JD Vens"),
    ("Giorgia Meloni", "it", "Джорджа Мелони", "Dzhordzha Meloni"),
    ("Donald Tusk", "pl", "Доналд Туск", "Donald Tusk"),
    ("Recep Tayyip Erdoğan", "tr", "Реджеп Тайип Эрдоган", "Redzhep Tayip Erdogan"),
    ("Olaf Scholz", "de", "Олаф Шольц", "Olaf Sholts"),
])
def test_double_transliteration_through_russian(name, language, russian, english):
    assert to_cyrillic.to_russian(name, language) == russian
    assert cyrillic.romanize(russian, "en") == english


def test_romanisation_alternations_and_respelling():
    variants = respell.romanisation_variants("Mohammed bin Salman")
    assert "Muhammad bin Salman" in variants and "Mohamed ibn Salman" in variants
    assert "Abdel Fattah al-Sisi" in respell.romanisation_variants("Abdel Fattah el-Sisi")
    assert respell.respell("Masoud Pezeshkian", "de") == "Masoud Peseschkian"
    assert respell.respell("Masoud Pezeshkian", "fr") == "Masoud Pezechkian"
    assert respell.respell("Ali Khamenei", "es") == "Ali Jamenei"
    assert respell.respell("Benjamin Netanyahu", "de").endswith(" Netanjahu")
    assert respell.respell("Abdel Fattah el-Sisi", "de") == "Abdel Fattah el-Sisi"  # hyphenated parts keep case
    with pytest.raises(ValueError, match="unknown respelling convention"):
        respell.respell("Ali", "xx")


def test_person_variants_record_how_each_was_made():
    zelenskyy = person_variants("Volodymyr Zelenskyy", "UA", ["Володимир Зеленський", "Владимир Зеленский"])
    assert zelenskyy["Wolodymyr Selenskyj"] == "cyrillic:de"
    assert zelenskyy["Wołodymyr Zełenski"] == "cyrillic:pl"
    assert "Wladimir Selenski" in zelenskyy  # the Russian spelling, in German
    xi = person_variants("Xi Jinping", "CN", ["习近平"])
    assert xi["Hsi Chin-p'ing"] == "chinese:wade_giles"
    assert xi["Si Tszinpin"] == "chinese:palladius>en"
    ishiba = person_variants("Shigeru Ishiba", "JP", ["石破茂"], ["いしば", "しげる"])
    assert ishiba["Sigeru Isiba"] == "japanese:kunrei"  # Kunrei and Polivanov-then-English agree here
    assert ishiba["Sigeru Issiba"] == "japanese:polivanov:de"
    merz = person_variants("Friedrich Merz", "DE", [])
    assert merz["Fridrikh Merts"] == "via-russian:en"
    assert "Friedrich Merz" not in merz  # the canonical form itself is never a variant
