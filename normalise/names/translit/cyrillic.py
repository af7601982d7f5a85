"""Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian) into the Latin conventions of the
languages the service translates from: English (BGN/PCGN and the common press form), German
(Duden), French, Spanish, Italian, Polish, Portuguese, Turkish and Czech.

Each convention is a letter table plus the few context rules that decide a name's look:
iotated vowels (е, ю, я, є, ї) after a vowel or at a word start, the adjective endings
(-ский, -ий, -ый) that every convention writes its own way, and doubled "s" between vowels in
German and French so that "с" stays voiceless.
"""
from __future__ import annotations

import re

CONVENTIONS = ("en", "en_press", "en_wire", "de", "de_ij", "fr", "es", "it", "pl", "pt", "tr", "cs")
# Ukraine's national romanisation (Cabinet of Ministers resolution 55, 2010; English Wikipedia's
# form for Ukrainians: Oleksii, Andrii, Yuliia): for Ukrainian-language forms only.
UKRAINIAN_CONVENTIONS = ("uk",)

_VOWELS = set("аеёиоуыэюяіїєөүАЕЁИОУЫЭЮЯІЇЄӨҮ")
_LATIN_VOWELS = set("aeiouyAEIOUYïéè")

# Shared letters: most conventions write these the same way.
_BASE = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i", "к": "k",
         "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
         "ф": "f", "ы": "y", "ь": "", "ъ": "", "э": "e", "ґ": "g", "і": "i", "ў": "u",
         # Mongolian ө and ү: BGN/PCGN ö and ü, which the press writes o and u outside German and Turkish
         "ө": "o", "ү": "u"}
# Serbian and Macedonian letters become the Russian spelling first (Вучић -> Вучич), which is
# what reaches the other languages through Russian; their own Latin form is the canonical one.
_SOUTH_SLAVIC = str.maketrans({"ђ": "дж", "ј": "й", "љ": "ль", "њ": "нь", "ћ": "ч", "џ": "дж", "ѓ": "г",
                               "ќ": "к", "ѕ": "дз", "Ђ": "Дж", "Ј": "Й", "Љ": "Ль", "Њ": "Нь", "Ћ": "Ч",
                               "Џ": "Дж", "Ѓ": "Г", "Ќ": "К", "Ѕ": "Дз"})

# Per convention: letters that differ from _BASE, then "iot" = how е/ё/ю/я/є/ї start after a
# vowel or a word start (their glide), keyed by the Cyrillic letter.
_TABLES: dict[str, dict[str, str]] = {
    "en": {"ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
           "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "е_iot": "ye"},
    "en_press": {"ё": "yo", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
                 "ю": "yu", "я": "ya", "є": "ie", "ї": "i", "е_iot": "e"},
    "en_wire": {"ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
                "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "е_iot": "ye"},
    "de": {"ө": "ö", "ү": "ü", "в": "w", "ё": "jo", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
           "щ": "schtsch", "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "е_iot": "je", "с_vv": "ss"},
    "fr": {"ё": "io", "ж": "j", "й": "ï", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch",
           "у": "ou", "ю": "iou", "я": "ia", "є": "ie", "ї": "ï", "е_iot": "ie", "е_initial": "e", "с_vv": "ss"},
    "es": {"ё": "io", "ж": "zh", "й": "i", "х": "j", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch",
           "ю": "iu", "я": "ia", "є": "ie", "ї": "i", "е_iot": "ye"},
    "it": {"ё": "io", "ж": "zh", "й": "j", "х": "ch", "ц": "z", "ч": "c", "ш": "sh", "щ": "sc",
           "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "е_iot": "e"},
    "pl": {"в": "w", "ё": "io", "ж": "ż", "й": "j", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz",
           "ю": "iu", "я": "ia", "є": "je", "ї": "ji", "е_iot": "je", "л": "ł", "е_soft": "ie"},
    "pt": {"ё": "io", "ж": "j", "й": "i", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch",
           "ю": "iu", "я": "ia", "є": "ie", "ї": "i", "е_iot": "ie", "с_vv": "ss"},
    "uk": {"ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "iu", "я": "ia",
           "є": "ie", "ї": "i", "е_iot": "e"},
    "tr": {"ө": "ö", "ү": "ü", "ё": "yo", "ж": "j", "й": "y", "х": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "ş",
           "ы": "ı", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "е_iot": "ye"},
    "cs": {"ё": "jo", "ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč",
           "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "е_iot": "je"},
}

# Word endings written per convention (Russian -ский, Ukrainian -ський, -ий / -ый / -ій).
_ENDINGS: dict[str, dict[str, str]] = {
    "en": {"ський": "skyi", "ский": "sky", "ий": "iy", "ый": "y", "ій": "iy"},
    "en_press": {"ський": "skyy", "ский": "ski", "ий": "y", "ый": "y", "ій": "i"},
    "en_wire": {"ський": "skiy", "ский": "skiy", "ий": "iy", "ый": "y", "ій": "iy"},
    "de": {"ський": "skyj", "ский": "ski", "ий": "i", "ый": "y", "ій": "ij"},
    # the older German press form keeps the ending's й (Dmitrij, Jewgenij, Selenskij)
    "de_ij": {"ський": "skyj", "ский": "skij", "ий": "ij", "ый": "yj", "ій": "ij"},
    "fr": {"ський": "sky", "ский": "ski", "ий": "i", "ый": "y", "ій": "ï"},
    "es": {"ський": "ski", "ский": "ski", "ий": "i", "ый": "i", "ій": "i"},
    "it": {"ський": "skyj", "ский": "skij", "ий": "ij", "ый": "yj", "ій": "ij"},
    "pl": {"ський": "ski", "ский": "ski", "ий": "ij", "ый": "y", "ій": "ij"},
    "pt": {"ський": "ski", "ский": "ski", "ий": "i", "ый": "i", "ій": "i"},
    "tr": {"ський": "ski", "ский": "ski", "ий": "iy", "ый": "ıy", "ій": "iy"},
    "uk": {"ський": "skyi", "ский": "skyi", "ий": "yi", "ый": "y", "ій": "ii"},
    "cs": {"ський": "skyj", "ский": "skij", "ий": "ij", "ый": "yj", "ій": "ij"},
}

# Ukrainian -ий (Залужний) is not the Russian -ий: each convention writes the Ukrainian vowel.
_ENDINGS_UK: dict[str, dict[str, str]] = {
    "en": {"ий": "yi"}, "en_press": {"ий": "yi"}, "en_wire": {"ий": "iy"}, "de": {"ий": "yj"}, "de_ij": {"ий": "yj"}, "fr": {"ий": "y"},
    "es": {"ий": "i"}, "it": {"ий": "yj"}, "uk": {"ий": "yi"}, "pl": {"ий": "y"}, "pt": {"ий": "i"}, "tr": {"ий": "iy"},
    "cs": {"ий": "yj"},
}
# Ukrainian letters that differ from Russian ones with the same shape.
_UKRAINIAN_BY = {"en": {"г": "h", "и": "y"}, "en_press": {"г": "h", "и": "y"}, "en_wire": {"г": "h", "и": "y"}, "de": {"г": "h", "и": "y"}, "de_ij": {"г": "h", "и": "y"},
                 "fr": {"г": "h", "и": "y"}, "es": {"г": "h", "и": "y"}, "it": {"г": "h", "и": "y"},
                 "pl": {"г": "h", "и": "y"}, "pt": {"г": "h", "и": "y"}, "tr": {"г": "h", "и": "ı"},
                 "cs": {"г": "h", "и": "y"}, "uk": {"г": "h", "и": "y"}}
_UKRAINIAN_MARKERS = re.compile("[іїєґ]|ськ", re.IGNORECASE)
_POLISH_SOFT_L = set("еёиюяіїєь")
_POLISH_SOFT_UK = set("юяіїєь")  # Ukrainian е and и are hard: Зеленський -> Zełenski
# Conventions in which y is no vowel letter: a word-initial ы (only in borrowed names) is i there.
_NO_Y_VOWEL = {"en_press", "de", "fr", "es", "it", "pt"}
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# Conventions that differ from another only in their endings share its letters and letter rules.
_LETTERS_OF = {"de_ij": "de"}
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")  # includes Mongolian ө ү


def is_ukrainian(text: str) -> bool:
    return bool(_UKRAINIAN_MARKERS.search(text))


def romanize(text: str, convention: str, *, ukrainian: bool | None = None) -> str:
    """`text` with every Cyrillic word written in `convention` (one of CONVENTIONS)."""
    if convention not in CONVENTIONS + UKRAINIAN_CONVENTIONS:
        raise ValueError(f"unknown Cyrillic convention {convention!r}; known: {', '.join(CONVENTIONS + UKRAINIAN_CONVENTIONS)}")
    uk = is_ukrainian(text) if ukrainian is None else ukrainian
    text = text.translate(_SOUTH_SLAVIC)
    return _CYRILLIC_WORD.sub(lambda m: _word(m.group(), convention, uk), text)


def romanize_all(text: str, *, ukrainian: bool | None = None) -> dict[str, str]:
    return {conv: romanize(text, conv, ukrainian=ukrainian) for conv in CONVENTIONS}


def _ending(lower: str, conv: str, uk: bool) -> tuple[str, str]:
    """(stem, romanised ending) for the adjective endings each convention writes its own way."""
    endings = {**_ENDINGS[conv], **(_ENDINGS_UK[conv] if uk else {})}
    for ending in sorted(endings, key=len, reverse=True):
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            return lower[: -len(ending)], endings[ending]
    return lower, ""


def _letter(lower: str, i: int, tail: str, conv: str, uk: bool, table: dict[str, str]) -> str:
    conv = _LETTERS_OF.get(conv, conv)
    ch = lower[i]
    prev = lower[i - 1] if i else ""
    nxt = lower[i + 1] if i + 1 < len(lower) else (tail[:1] if tail else "")
    glide = i == 0 or prev in _VOWELS or prev in "ьъ'"
    if ch == "е" and glide and not uk:
        return table.get("е_initial", table["е_iot"]) if i == 0 else table["е_iot"]
    if ch == "е" and not glide and conv == "pl" and not uk and prev not in "жшчщцл":
        return table.get("е_soft", "e")
    if ch == "с" and "с_vv" in table and prev in _VOWELS and (nxt in _VOWELS or nxt in _LATIN_VOWELS):
        return table["с_vv"]
    if ch == "л" and conv == "pl" and nxt in (_POLISH_SOFT_UK if uk else _POLISH_SOFT_L):
        return "l"
    if ch == "и" and conv == "pl" and prev in "жшц":
        return "y"
    if ch == "й" and conv == "de" and nxt and nxt not in _VOWELS:
        return "i"  # German writes a glide before a consonant as i (Schoigu, Maidan), j at the end
    if conv == "uk" and i == 0 and ch in _UK_INITIAL:
        return _UK_INITIAL[ch]  # the national system writes these with y at a word start only
    if ch == "ы" and i == 0 and conv in _NO_Y_VOWEL:
        return "i"  # a word-initial ы (Korean Ын) reads as i where y is no vowel
    if ch == "г" and conv in ("fr", "es") and not uk and nxt in ("е", "и", "ы", "э", "e", "i", "y"):
        return "gu"  # keeps g hard: Sergueï, Serguéi
    if ch == "к" and nxt == "с" and conv in ("de", "fr"):
        return "x"  # кс: Alexei, Alexeï
    if ch == "с" and prev == "к" and conv in ("de", "fr"):
        return ""
    return table.get(ch, ch)


def _word(word: str, conv: str, uk: bool) -> str:
    table = {**_BASE, **_TABLES[_LETTERS_OF.get(conv, conv)], **(_UKRAINIAN_BY[conv] if uk else {})}
    lower, tail = _ending(word.lower(), conv, uk)
    result = "".join(_letter(lower, i, tail, conv, uk, table) for i in range(len(lower))) + tail
    result = result.replace("ïï", "ï")
    if conv == "fr" and not tail and result.endswith("in") and lower.endswith("ин"):
        result += "e"  # Poutine, Prigojine: French keeps the n sounded
    if word[:1].isupper():
        result = result[:1].upper() + result[1:]
    if word.isupper() and len(word) > 1:
        result = result.upper()
    return result
