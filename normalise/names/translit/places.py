"""Spellings of major places that reach English through Russian or an older Chinese
romanisation: a Russian name romanised again as machine translation from Russian writes it
(Пекин -> Pekin, Шанхай -> Shankhay, Тайвань -> Tayvan), and a Chinese name in Wade-Giles
(北京 -> Pei-ching, Peiching) and through Russian Palladius (新疆 -> Синьцзян -> Sintszyan).

Only countries and cities of at least MIN_POPULATION get them: the spellings are long-tail
forms, worth their index size only for places the news names often."""
from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from normalise.names.translit import cyrillic, scripts

MIN_POPULATION = 500_000
# French is left out: its "-ine" for a final -ин keeps surnames sounded (Poutine), not place names.
CONVENTIONS = ("en", "en_press", "de", "pl")
CHINESE_COUNTRIES = {"CN", "TW", "HK", "MO"}
# Cyrillic written with the Russian alphabet only: other languages' names (Kazakh Бейжің,
# Ukrainian Пекін, Serbian Тајван) are not what Russian text carries.
_RUSSIAN = re.compile(r"^[А-Яа-яЁё\- ]+$")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_ADMIN_SUFFIX = ("市", "省", "县", "縣", "区", "區")


def _chinese_place(hanzi: str) -> dict[str, str]:
    chars = list(hanzi.removesuffix(next((s for s in _ADMIN_SUFFIX if hanzi.endswith(s) and len(hanzi) > 2), "")))
    wade = scripts._wade_giles(chars)
    plain = [scripts._deaccent(s).replace("'", "") for s in wade]
    palladius = "".join(re.sub(r"\d", "", s) for s in lazy_pinyin(chars, style=Style.CYRILLIC)).capitalize()
    return {"wade_giles": "-".join(wade).capitalize(), "wade_giles_plain": "-".join(plain).capitalize(),
            "wade_giles_joined": "".join(plain).capitalize(), "palladius": palladius}


@lru_cache(maxsize=1)
def _syllables() -> dict[str, tuple[str, str]]:
    """Every pinyin syllable -> (Wade-Giles, Palladius Cyrillic), read off the characters."""
    chars = [chr(c) for c in range(0x4E00, 0x9FA6)]
    pinyin = lazy_pinyin(chars, style=Style.NORMAL)
    cyr = lazy_pinyin(chars, style=Style.CYRILLIC)
    wade = scripts._wade_giles(chars)
    out: dict[str, tuple[str, str]] = {}
    for p, w, c in zip(pinyin, wade, cyr, strict=True):
        if p.isascii() and p.isalpha():
            out.setdefault(p, (w, re.sub(r"\d", "", c)))
    return out


def _segment(word: str) -> list[str] | None:
    """A pinyin word split into syllables, fewest syllables first (Beijing -> bei jing)."""
    table = _syllables()
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            piece = word[start:end]
            if start in best and piece in table and (end not in best or len(best[start]) + 1 < len(best[end])):
                best[end] = [*best[start], piece]
    return best.get(len(word))


def _from_pinyin(name: str) -> dict[str, str]:
    """A Chinese place written in pinyin (the English form of mainland names) -> Wade-Giles and
    the Palladius form romanised again."""
    syllables = _segment(name.lower()) if name.isalpha() and name.isascii() else None
    if not syllables or len(syllables) < 2:
        return {}
    table = _syllables()
    wade = [table[s][0] for s in syllables]
    plain = [w.replace("'", "").replace("ü", "u") for w in wade]
    out = {"-".join(wade).capitalize(): "chinese:wade_giles", "-".join(plain).capitalize(): "chinese:wade_giles_plain",
           "".join(plain).capitalize(): "chinese:wade_giles_joined"}
    palladius = "".join(table[s][1] for s in syllables).capitalize()
    for conv in CONVENTIONS:
        out.setdefault(cyrillic.romanize(palladius, conv), f"chinese:palladius>{conv}")
    return out


def place_variants(kind: str, country: str, population: int, natives: list[str], canonical: str = "") -> dict[str, str]:
    """Generated spellings of one place: variant -> how it was made (empty for minor places)."""
    if kind != "country" and population < MIN_POPULATION:
        return {}
    out: dict[str, str] = _from_pinyin(canonical) if country == "CN" else {}
    for native in natives:
        if _RUSSIAN.match(native):
            for conv in CONVENTIONS:
                out.setdefault(cyrillic.romanize(native, conv), f"russian>{conv}")
        elif country in CHINESE_COUNTRIES and _HAN.match(native):
            forms = _chinese_place(native)
            for style in ("wade_giles", "wade_giles_plain", "wade_giles_joined"):
                out.setdefault(forms[style], f"chinese:{style}")
            for conv in CONVENTIONS:
                out.setdefault(cyrillic.romanize(forms["palladius"], conv), f"chinese:palladius>{conv}")
    return out
