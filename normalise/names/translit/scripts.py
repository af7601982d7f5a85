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
def _join_given(syllables: list[str], sep: str) -> str:
    return sep.join(syllables).capitalize() if syllables else ""


def chinese_variants(hanzi: str, surname_chars: int = 1) -> dict[str, str]:
    """Person name in characters -> {"pinyin", "wade_giles", "wade_giles_plain", "palladius"}.
    The family name comes first (`surname_chars` characters: 1, or 2 for 欧阳, 司马 ...)."""
    chars = [c for c in hanzi if not c.isspace() and c not in "·•"]
    fam, giv = chars[:surname_chars], chars[surname_chars:]

    def styled(style: Style) -> tuple[list[str], list[str]]:
        return lazy_pinyin(fam, style=style), lazy_pinyin(giv, style=style)

    pf, pg = styled(Style.NORMAL)
    wf, wg = styled(Style.WADEGILES)
    cf, cg = styled(Style.CYRILLIC)
    cf = [re.sub(r"\d", "", s) for s in cf]
    cg = [re.sub(r"\d", "", s) for s in cg]
    pinyin = f"{''.join(pf).capitalize()} {_join_given(pg, '')}".strip()
    wade = f"{''.join(wf).capitalize()} {_join_given(wg, '-')}".strip()
    palladius = f"{''.join(cf).capitalize()} {_join_given(cg, '')}".strip()
    return {"pinyin": pinyin, "wade_giles": wade, "wade_giles_plain": wade.replace("'", "").replace("-", " "),
            "palladius": palladius}


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
