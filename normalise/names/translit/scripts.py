"""Native scripts other than Cyrillic into Latin conventions: Greek, Chinese (pinyin and
Wade-Giles via pypinyin; Russian Palladius Cyrillic for the double transliteration), Korean
(Revised Romanization and McCune-Reischauer) and Japanese kana (Hepburn)."""
from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

# --- Greek ---------------------------------------------------------------------------------
_GREEK_DIGRAPHS = [("ου", "ou"), ("μπ", "b"), ("ντ", "nt"), ("γκ", "gk"), ("γγ", "ng"), ("τσ", "ts"),
                   ("τζ", "tz"), ("αι", "ai"), ("ει", "ei"), ("οι", "oi"), ("αυ", "av"), ("ευ", "ev")]
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
                  ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s",
                   "t", "y", "f", "ch", "ps", "o"], strict=False))
# Phonetic spellings the press also uses (Tsipras, Mitsotakis stay; Kyriakos -> Kiriakos).
_GREEK_PHONETIC = [("y", "i"), ("ou", "u"), ("ch", "h"), ("ai", "e"), ("oi", "i"), ("ei", "i")]


def greek_variants(text: str) -> list[str]:
    """ELOT 743-style romanisation of Greek `text`, then its common phonetic respelling."""
    base = unicodedata.normalize("NFD", text)
    base = "".join(c for c in base if unicodedata.category(c) != "Mn")
    base = unicodedata.normalize("NFC", base)
    out = []
    for word in base.split():
        low = word.lower()
        for gr, lat in _GREEK_DIGRAPHS:
            low = low.replace(gr, lat)
        low = "".join(_GREEK.get(c, c) for c in low)
        out.append(low[:1].upper() + low[1:])
    elot = " ".join(out)
    phonetic = elot
    for a, b in _GREEK_PHONETIC:
        phonetic = phonetic.replace(a, b)
    phonetic = " ".join(w[:1].upper() + w[1:] for w in phonetic.split())
    return list(dict.fromkeys([elot, phonetic]))


# --- Chinese -------------------------------------------------------------------------------
# pypinyin's Wade-Giles table writes ü as "v" and 来/赖 "lai" as "lei"; Wade-Giles has lai and ü.
_WG_FIXES = {"lei": "lai"}


def _wade_giles(chars: list[str]) -> list[str]:
    plain = lazy_pinyin(chars, style=Style.NORMAL)
    wade = lazy_pinyin(chars, style=Style.WADEGILES)
    return [("lai" if p == "lai" and w in _WG_FIXES else w).replace("v", "ü") for p, w in zip(plain, wade, strict=True)]


def _deaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def chinese_variants(hanzi: str, surname_chars: int = 1) -> dict[str, str]:
    """Person name in characters -> the spellings the press uses, family name first
    (`surname_chars` characters: 1, or 2 for 欧阳, 司马 ...):

    - pinyin (Xi Jinping), with ü (Lü), as passports write it (Lyu) and plain (Lu), and with the
      given name's syllables hyphenated or spaced (Xi Jin-ping, Xi Jin Ping);
    - Wade-Giles (Hsi Chin-p'ing) with and without apostrophes, hyphens and diaeresis
      (Hsi Chin-ping, Hsi Chin Ping, Hsi Chinping, Hsu), as Taiwan and older texts print it;
    - "palladius": the Russian (Palladius) Cyrillic form, given name in one word (Си Цзиньпин),
      for the double transliteration through Russian."""
    chars = [c for c in hanzi if not c.isspace() and c not in "·•"]
    fam, giv = chars[:surname_chars], chars[surname_chars:]
    pf, pg = lazy_pinyin(fam, style=Style.NORMAL), lazy_pinyin(giv, style=Style.NORMAL)
    wf, wg = _wade_giles(fam), _wade_giles(giv)
    cf = [re.sub(r"\d", "", s) for s in lazy_pinyin(fam, style=Style.CYRILLIC)]
    cg = [re.sub(r"\d", "", s) for s in lazy_pinyin(giv, style=Style.CYRILLIC)]

    def name(family: list[str], given: list[str], sep: str, cap_each: bool = False) -> str:
        giv_text = sep.join(g.capitalize() if cap_each else g for g in given)
        return f"{''.join(family).capitalize()} {giv_text[:1].upper() + giv_text[1:]}".strip()

    out: dict[str, str] = {}
    for label, fam_sy, giv_sy in (("pinyin", pf, pg), ("pinyin_u", [s.replace("v", "ü") for s in pf], [s.replace("v", "ü") for s in pg]),
                                  ("pinyin_yu", [re.sub(r"(?<=[ln])v", "yu", s) for s in pf], [re.sub(r"(?<=[ln])v", "yu", s) for s in pg]),
                                  ("pinyin_plain", [s.replace("v", "u") for s in pf], [s.replace("v", "u") for s in pg])):
        out[label] = name(fam_sy, giv_sy, "")
        out[label + "_hyphen"] = name(fam_sy, giv_sy, "-")
        out[label + "_spaced"] = name(fam_sy, giv_sy, " ", cap_each=True)
    wade = name(wf, wg, "-")
    plain_f, plain_g = [_deaccent(s).replace("'", "") for s in wf], [_deaccent(s).replace("'", "") for s in wg]
    out.update({"wade_giles": wade, "wade_giles_spaced": name(wf, wg, " ", cap_each=True),
                "wade_giles_plain": name(plain_f, plain_g, "-"), "wade_giles_plain_spaced": name(plain_f, plain_g, " ", cap_each=True),
                "wade_giles_plain_joined": name(plain_f, plain_g, ""), "wade_giles_ue": name([_deaccent(s.replace("ü", "ue")).replace("'", "") for s in wf],
                                                                                      [_deaccent(s.replace("ü", "ue")).replace("'", "") for s in wg], "-"),
                "palladius": name(cf, cg, "")})
    return out


# --- Korean --------------------------------------------------------------------------------
_INITIAL_RR = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_INITIAL_MR = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'", "p'", "h"]
_MEDIAL_RR = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
              "yu", "eu", "ui", "i"]
_MEDIAL_MR = ["a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi",
              "yu", "ŭ", "ŭi", "i"]
_FINAL_RR = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
             "ng", "t", "t", "k", "t", "p", "t"]
_FINAL_MR = _FINAL_RR
# Family names with a fixed conventional spelling (Lee, Park, Kim, ...), as the press writes them.
_KOREAN_FAMILY = {"이": "Lee", "박": "Park", "김": "Kim", "최": "Choi", "정": "Jung", "윤": "Yoon", "한": "Han",
                  "조": "Cho", "강": "Kang", "장": "Jang", "임": "Lim", "오": "Oh", "신": "Shin", "문": "Moon",
                  "노": "Roh", "황": "Hwang", "안": "Ahn", "송": "Song", "류": "Ryu", "유": "Yoo", "홍": "Hong",
                  "전": "Jeon", "고": "Ko", "권": "Kwon", "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek"}


_LIAISON_RR = {1: "g", 7: "d", 17: "b", 8: "r", 22: "j"}  # final ㄱ ㄷ ㅂ ㄹ ㅈ before a vowel (ㅇ)


def _hangul_syllable(ch: str, mr: bool, first: bool, before_vowel: bool = False) -> str:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return ch
    ini, med, fin = code // 588, (code % 588) // 28, code % 28
    initial = (_INITIAL_MR if mr else _INITIAL_RR)[ini]
    if mr and not first and initial in ("k", "t", "p", "ch"):
        initial = {"k": "g", "t": "d", "p": "b", "ch": "j"}[initial]  # voiced between vowels
    final = (_FINAL_MR if mr else _FINAL_RR)[fin]
    if not mr and before_vowel and fin in _LIAISON_RR:
        final = _LIAISON_RR[fin]  # RR writes the sound: 석열 -> Seogyeol
    return initial + (_MEDIAL_MR if mr else _MEDIAL_RR)[med] + final


def _starts_with_vowel(ch: str) -> bool:
    code = ord(ch) - 0xAC00
    return 0 <= code < 11172 and code // 588 == 11


def korean_variants(hangul: str) -> dict[str, str]:
    """Korean person name (family name first, one syllable) -> {"rr", "mr", "press"}: Revised
    Romanization (Yun Seogyeol), McCune-Reischauer (Yun Sŏgyŏl) and the usual press form
    (conventional family name, hyphenated given name: Yoon Suk-yeol style)."""
    chars = [c for c in hangul if not c.isspace()]
    fam, giv = chars[0], chars[1:]

    def render(mr: bool, sep: str) -> str:
        family = _hangul_syllable(fam, mr, True).capitalize()
        given = sep.join(_hangul_syllable(c, mr, i == 0, not sep and i + 1 < len(giv) and _starts_with_vowel(giv[i + 1]))
                         for i, c in enumerate(giv))
        return f"{family} {given.capitalize()}"

    rr = render(False, "")
    mr = render(True, "-")
    press = f"{_KOREAN_FAMILY.get(fam, rr.split()[0])} {render(False, '-').split(' ', 1)[1]}"
    return {"rr": rr, "mr": mr, "mr_plain": _plain(mr), "press": press}


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").replace("'", "")


# --- Japanese ------------------------------------------------------------------------------
_LONG_VOWELS = [("ou", "ō"), ("oo", "ō"), ("uu", "ū")]


_KANA = dict(zip(
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉゃゅょ",
    ["a", "i", "u", "e", "o", "ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta", "chi", "tsu", "te",
     "to", "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho", "ma", "mi", "mu", "me", "mo", "ya", "yu", "yo",
     "ra", "ri", "ru", "re", "ro", "wa", "o", "n", "ga", "gi", "gu", "ge", "go", "za", "ji", "zu", "ze", "zo", "da",
     "ji", "zu", "de", "do", "ba", "bi", "bu", "be", "bo", "pa", "pi", "pu", "pe", "po", "a", "i", "u", "e", "o",
     "ya", "yu", "yo"], strict=False))
_YOON = {"ゃ": "a", "ゅ": "u", "ょ": "o"}


def kana_to_hepburn(kana: str) -> str:
    """Hiragana (katakana is folded to hiragana) in modified Hepburn without macrons:
    きしだ -> kishida, しんぞう -> shinzou (long vowels are handled by the callers)."""
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)
    out: list[str] = []
    double = False
    for ch in text:
        if ch == "っ":
            double = True
            continue
        if ch in _YOON and out:
            prev = out.pop()
            stem = prev.removesuffix("i")
            piece = stem + ("" if stem.endswith(("sh", "ch", "j")) else "y") + _YOON[ch]
        elif ch == "ー" and out:
            piece = out[-1][-1]
        else:
            piece = _KANA.get(ch, ch)
        if double and piece:
            piece = ("t" if piece.startswith("ch") else piece[0]) + piece
            double = False
        out.append(piece)
    return "".join(out)


def japanese_variants(kana_family: str, kana_given: str) -> dict[str, str]:
    """Japanese name read in kana (family, given) -> Western-order Hepburn forms: plain
    (Ishiba Shigeru -> Shigeru Ishiba), with macrons (Kōno) and with oh/ou (Kohno, Kouno)."""
    fam, giv = kana_to_hepburn(kana_family), kana_to_hepburn(kana_given)
    plain = f"{_collapse(giv).capitalize()} {_collapse(fam).capitalize()}"
    macron = f"{_macron(giv).capitalize()} {_macron(fam).capitalize()}"
    oh = f"{giv.replace('ou', 'oh').capitalize()} {fam.replace('ou', 'oh').capitalize()}"
    raw = f"{giv.capitalize()} {fam.capitalize()}"
    return {"hepburn": plain, "hepburn_macron": macron, "hepburn_oh": oh, "hepburn_ou": raw}


def _macron(word: str) -> str:
    for a, b in _LONG_VOWELS:
        word = word.replace(a, b)
    return word


def _collapse(word: str) -> str:
    return word.replace("ou", "o").replace("oo", "o").replace("uu", "u")
