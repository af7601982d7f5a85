"""A Latin-script name written the way Russian media write it: the first half of the double
transliteration that machine translation produces (Merz -> Мерц -> Merts, Rutte -> Рютте ->
Ryutte, Xi Jinping -> Си Цзиньпин -> Si Tszinpin).

Russian renders a foreign name by the sound of its source language, so the rules depend on the
language the name comes from (chosen from the person's country). Rules are ordered grapheme
rewrites, longest first; they approximate what Russian media print and are meant for variant
generation, not as a reference transcription.
"""
from __future__ import annotations

import re
import unicodedata

_COMMON = [
    ("shch", "щ"), ("sch", "ш"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("th", "т"),
    ("ph", "ф"), ("ck", "к"), ("qu", "кв"), ("x", "кс"), ("ya", "я"), ("yu", "ю"), ("yo", "ё"), ("ye", "е"),
    ("ee", "и"), ("oo", "у"), ("j", "дж"), ("w", "у"), ("y", "и"), ("a", "а"), ("b", "б"), ("c", "к"),
    ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"),
    ("z", "з"),
]

# Source-language rules tried before _COMMON (regex, replacement), applied to lower-case text.
_RULES: dict[str, list[tuple[str, str]]] = {
    "de": [(r"^v", "ф"), (r"ey|ay", "ай"), (r"tsch", "ч"), (r"sch", "ш"), (r"ch", "х"), (r"ei", "ай"), (r"eu|äu", "ой"), (r"ie", "и"),
           (r"tz|z", "ц"), (r"w", "в"), (r"j", "й"), (r"ß", "с"), (r"ä", "е"), (r"ö", "ё"), (r"ü", "ю"),
           (r"^s(?=[aeiouy])", "з"), (r"l(?=[^aeiouyäöüаеёиоуыэюя]|$)", "ль"), (r"h(?=[^aeiouyäöüаеёиоуыэюя]|$)", ""),
           (r"ck", "к"), (r"(?<=[aeiou])s(?=[aeiou])", "з")],
    "nl": [(r"sch", "сх"), (r"ij", "ей"), (r"oe", "у"), (r"ui", "эй"), (r"uu", "ю"), (r"(?<=[^aeiou])u", "ю"),
           (r"^u", "ю"), (r"w", "в"), (r"j", "й"), (r"tt", "тт"), (r"g", "х"), (r"ch", "х"), (r"v", "ф")],
    # English: the silent final e first lengthens the vowel before it (Steve -> Стив, Mike ->
    # Майк, Kate -> Кейт), then goes; a silent h after a vowel (John, Sarah) goes too.
    "en": [(r"e(?=[bcdfgklmnprstvz]e$)", "и"), (r"i(?=[bcdfgklmnprstvz]e$)", "ай"), (r"a(?=[bcdfgklmnprstvz]e$)", "ей"),
           (r"oe$", "о"), (r"eh$", "е"), (r"ea", "и"), (r"ou", "у"), (r"gh", "г"), (r"wi", "у\x01"), (r"(?<=[aeiou])h(?=[bcdfgklmnprstvz]|$)", ""),
           (r"(?<=[bcdfgklmnprstvz])y(?=[aeiou])", "ь\x02"), (r"c(?=[eiy])", "с"), (r"(?<=[^aeiou])e$", ""),
           (r"a(?=n[cс])", "э"), (r"(?<=[bcdfgklmnprstvz])u(?=[bcdfgklmnprstvz]{2}|[bcdfgklmnprstvz]$)", "а"),
           (r"ay", "эй"), (r"ey$", "и"), (r"y$", "и"), (r"^y", "й"), (r"ll", "лл"), (r"l(?=[^aeiouy]|$)", "л")],
    # English romanisations of Arabic, Persian, Hebrew, Urdu ... names: letters read as written (no
    # silent h or e: Ahmed -> Ахмед, Khamenei -> Хаменеи), digraphs for the sounds Latin lacks.
    "romanised": [(r"^al$", "аль"), (r"^el$", "эль"), (r"kh", "х"), (r"gh", "г"), (r"zh", "ж"), (r"sh", "ш"), (r"ch", "ч"), (r"th", "т"), (r"dh", "д"),
                  (r"ou", "у"), (r"ee", "и"), (r"oo", "у"), (r"q", "к"), (r"eh$", "е"),
                  (r"(?<=[bcdfgklmnprstvz])y(?=[aeiou])", "ь\x02"), (r"(?<=[aeiou])y(?=[aeiou])", "й"), (r"^y", "й"),
                  (r"(?<=[aeiou])y$", "й"), (r"y$", "и")],
    "it": [(r"sci(?=[aou])", "ш"), (r"ci(?=[aou])", "ч"), (r"gi(?=[aou])", "дж"), (r"sc(?=[ei])", "ш"), (r"c(?=[ei])", "ч"), (r"ch", "к"), (r"g(?=[ei])", "дж"), (r"gh", "г"),
           (r"gn", "нь"), (r"gli", "льи"), (r"z", "ц"), (r"(?<=[aeiou])s(?=[aeiou])", "з"), (r"h", "")],
    "pl": [(r"szcz", "щ"), (r"sz", "ш"), (r"cz", "ч"), (r"rz|ż", "ж"), (r"ch", "х"), (r"w", "в"), (r"ł", "л"),
           (r"ó", "у"), (r"ś", "сь"), (r"ć", "ць"), (r"ń", "нь"), (r"ź", "зь"), (r"ę", "ен"), (r"ą", "он"),
           (r"ie", "е"), (r"ia", "я"), (r"io", "ё"), (r"iu", "ю"), (r"c", "ц"), (r"j", "й"), (r"y", "ы")],
    "tr": [(r"c", "дж"), (r"ç", "ч"), (r"ş", "ш"), (r"ğ", "г"), (r"ı", "ы"), (r"ö", "ё"), (r"ü", "ю"),
           (r"yy", "й"), (r"(?<=[aeiou])y(?=[aeiou])", "й"), (r"y", "й"), (r"^e", "э"), (r"j", "ж")],
    # Spanish: a final y after a consonant is a vowel (Delcy -> Делси); l before a consonant is
    # soft, as Russian writes Romance names (Álvaro -> Альваро).
    "es": [(r"sh", "ш"), (r"ei|ey", "ей"), (r"ll", "ль"), (r"ñ", "нь"), (r"ch", "ч"), (r"qu", "к"), (r"gu(?=[ei])", "г"), (r"j", "х"),
           (r"g(?=[ei])", "х"), (r"c(?=[eiy])", "с"), (r"z", "с"), (r"h", ""), (r"(?<=[^aeiouáéíóú])y$", "и"), (r"y$", "й"),
           (r"l(?=[^laeiouyáéíóúлаеёиоуыэюяйь\s'-])", "ль"), (r"á", "а"), (r"é", "е"), (r"í", "и"), (r"ó", "о"), (r"ú", "у")],
    # Portuguese: an unstressed final o is у and a final z с, as Russian writes them (Inácio ->
    # Инасиу, Bolsonaro -> Болсонару, Luiz -> Луис); accented vowels are vowels.
    "pt": [(r"lh", "ль"), (r"nh", "нь"), (r"ch", "ш"), (r"ão", "ан"), (r"õe", "он"), (r"ç", "с"), (r"j", "ж"),
           (r"c(?=[eiíé])", "с"), (r"h", ""), (r"x", "ш"), (r"o$", "у"), (r"z$", "с"), (r"á|â|à", "а"),
           (r"é|ê", "е"), (r"í", "и"), (r"ó|ô", "о"), (r"ú", "у")],
    "fr": [(r"eau|au", "о"), (r"ou", "у"), (r"oi", "уа"), (r"ch", "ш"), (r"j", "ж"), (r"gn", "нь"),
           (r"qu", "к"), (r"c(?=[eiy])", "с"), (r"g(?=[eiy])", "ж"), (r"(?<=[^aeiou])e$", ""), (r"[stdx]$", ""),
           (r"h", ""), (r"u", "ю"), (r"é|è|ê", "е"), (r"ç", "с")],
    "pinyin": [(r"zh", "чж"), (r"ch", "ч"), (r"sh", "ш"), (r"x", "с"), (r"q", "ц"), (r"j", "цз"), (r"z", "цз"),
               (r"c", "ц"), (r"ian", "янь"), (r"ang", "ан"), (r"eng", "эн"), (r"ing", "ин"), (r"ong", "ун"),
               (r"ui", "уй"), (r"ai", "ай"), (r"ei", "эй"), (r"ao", "ао"), (r"ou", "оу"), (r"yi", "и"),
               (r"hu", "ху"), (r"h", "х"), (r"r", "ж"), (r"n$", "нь"), (r"e", "э")],
    # Nordic, Central European, Balkan: j is y; l before a consonant is soft (Ulf -> Ульф, Albin -> Альбин).
    "j_is_y": [(r"j", "й"), (r"l(?=[^laeiouyäöåøлаеёиоуыэюяйь\s'-])", "ль"), (r"sz", "с"), (r"cs", "ч"), (r"zs", "ж"), (r"gy", "дь"), (r"ä|ae", "я"), (r"ö|ø", "ё"),
               (r"å", "о"), (r"č", "ч"), (r"š", "ш"), (r"ž", "ж"), (r"ć", "ч"), (r"đ", "дж")],
    "ja": [(r"shi", "си"), (r"chi", "ти"), (r"tsu", "цу"), (r"ji", "дзи"), (r"sh", "с"), (r"ch", "т"),
           (r"j", "дз"), (r"fu", "фу"), (r"ya", "я"), (r"yu", "ю"), (r"yo", "ё"), (r"e", "э"), (r"ō|ou|oo", "о"),
           (r"ū|uu", "у"), (r"w", "в"), (r"n(?=[bmp])", "м")],
}

LANGUAGE_BY_COUNTRY = {
    "DE": "de", "AT": "de", "CH": "de", "LI": "de", "LU": "de", "NL": "nl", "BE": "nl", "SR": "nl",
    "IT": "it", "SM": "it", "VA": "it", "PL": "pl", "TR": "tr", "AZ": "tr", "ES": "es", "MX": "es", "AR": "es",
    "CO": "es", "CL": "es", "PE": "es", "VE": "es", "EC": "es", "BO": "es", "PY": "es", "UY": "es", "CU": "es",
    "DO": "es", "GT": "es", "HN": "es", "SV": "es", "NI": "es", "CR": "es", "PA": "es", "PT": "pt", "BR": "pt",
    "AO": "pt", "MZ": "pt", "CV": "pt", "GW": "pt", "ST": "pt", "TL": "pt", "FR": "fr", "MC": "fr", "SN": "fr",
    "CI": "fr", "ML": "fr", "BF": "fr", "NE": "fr", "TD": "fr", "CM": "fr", "GA": "fr", "CG": "fr", "CD": "fr",
    "BJ": "fr", "TG": "fr", "GN": "fr", "HT": "fr", "MG": "fr", "JP": "ja",
    "EE": "j_is_y", "FI": "j_is_y", "SE": "j_is_y", "NO": "j_is_y", "DK": "j_is_y", "IS": "j_is_y", "HR": "j_is_y",
    "SI": "j_is_y", "CZ": "j_is_y", "SK": "j_is_y", "HU": "j_is_y", "RS": "j_is_y", "BA": "j_is_y", "ME": "j_is_y",
    "LV": "j_is_y", "LT": "j_is_y", "AL": "j_is_y", "XK": "j_is_y", "RO": "it", "MD": "it",
}


def _strip_accents(text: str) -> str:
    keep = set("ßäöüçşğıñãõłśćńźżóęąåøčšžđ")
    return "".join(ch if ch in keep else c for ch in text
                   for c in [unicodedata.normalize("NFKD", ch)[0]])


# English letter names as Russian spells them out for initials (JD -> Джей Ди).
_LETTER_NAMES = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                         ["Эй", "Би", "Си", "Ди", "И", "Эф", "Джи", "Эйч", "Ай", "Джей", "Кей", "Эл", "Эм", "Эн", "Оу",
                          "Пи", "Кью", "Ар", "Эс", "Ти", "Ю", "Ви", "Дабл-ю", "Экс", "Уай", "Зи"], strict=True))
# English reads a stressed i before one consonant and a vowel as "ai" (Biden, Mike): Russian
# writes what it hears (Байден), so this reading is a second candidate for English names.
_OPEN_I = re.compile(r"(?<![aeiouy])i(?=[bcdfgklmnprstvz](?!e$)[aeiouy])", re.IGNORECASE)
_PARTICLES = {"von", "van", "der", "den", "de", "da", "do", "dos", "das", "del", "della", "di", "du", "la", "le", "ter",
              "bin", "ibn", "al", "el", "ben"}


def to_russian(name: str, language: str = "en") -> str:
    """`name` (Latin script) as Russian media would write it, judged by its source `language`."""
    return " ".join(_word(w, language) for w in name.split())


def to_russian_forms(name: str, language: str = "en") -> list[str]:
    """The Russian spellings a name plausibly gets: `to_russian`, and for English names the
    reading of an open-syllable i as "ai" (Biden -> Байден) and initials spelled out
    (JD Vance -> Джей Ди Вэнс)."""
    forms = [to_russian(name, language)]
    if language == "en":
        words = name.split()
        spelled = [" ".join(_LETTER_NAMES[c] for c in w) if w.isupper() and len(w) <= 3 and w.isalpha() else w
                   for w in words]
        forms.append(" ".join(w if any("\u0400" <= c <= "\u04ff" for c in w) else _word(w, language) for w in spelled))
        forms.append(" ".join(_word(_OPEN_I.sub("ai", w, count=1), language) for w in words))
    return list(dict.fromkeys(forms))


def _word(word: str, language: str) -> str:
    if word.isupper() and len(word) <= 3:  # initials (JD) stay as written
        return word
    if "-" in word:
        return "-".join(_word(part, language) for part in word.split("-"))
    low = _strip_accents(word.lower()).replace("'", "").replace("’", "")
    for pattern, repl in _RULES.get(language, []):
        low = re.sub(pattern, repl, low)
    for latin, cyr in _COMMON:
        low = low.replace(latin, cyr)
    low = re.sub(r"(?<=[аеёиоуыэюя])и(?=[^аеёиоуыэюя]|$)", "й", low) if language in ("en", "tr", "de") else low
    low = re.sub(r"^е", "э", low)
    # ь + iotated vowel after a consonant (Netanyahu -> Нетаньяху); \x01 is an и kept after у (Witkoff)
    low = low.replace("ь\x02а", "ья").replace("ь\x02у", "ью").replace("ь\x02е", "ье").replace("ь\x02о", "ьо")
    low = low.replace("\x01", "и")
    if language == "j_is_y":  # j + vowel is one iotated letter at a word start or after a vowel (Kaja -> Кая)
        for glide, vowel in (("йа", "я"), ("йу", "ю"), ("йо", "ё"), ("йе", "е")):
            low = re.sub(rf"(^|(?<=[аеиоуыэ])){glide}", vowel, low)
    low = re.sub(r"[^\u0400-\u04ff]", "", low)
    if word.islower() and word in _PARTICLES:
        return low  # von der Leyen -> фон дер Ляйен: particles stay lower case
    return low[:1].upper() + low[1:]
