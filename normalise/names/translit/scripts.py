"""Native scripts other than Cyrillic into Latin conventions: Greek, Chinese (pinyin and
Wade-Giles via pypinyin; Russian Palladius Cyrillic for the double transliteration) and
Japanese kana (Hepburn). Korean is in korean.py, Kunrei-shiki and Polivanov in japanese.py."""
from __future__ import annotations

import re
import unicodedata
from itertools import islice, product

from pypinyin import Style, lazy_pinyin

# --- Greek ---------------------------------------------------------------------------------
# ELOT 743 (ISO 843 type 1): digraphs first; αυ/ευ/ηυ are av/ev/iv before a vowel or voiced
# consonant and af/ef/if before a voiceless one or at the end; μπ is b at a word's start, mb inside.
_GREEK_DIGRAPHS = [("ου", "ou"), ("ντ", "nt"), ("γκ", "gk"), ("γγ", "ng"), ("γξ", "nx"), ("γχ", "nch"), ("τσ", "ts"),
                   ("τζ", "tz"), ("αι", "ai"), ("ει", "ei"), ("οι", "oi")]
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
                  ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s",
                   "t", "y", "f", "ch", "ps", "o"], strict=False))
_GREEK_VOICELESS = set("θκξπσςτφχψ")
_GREEK_U_DIPHTHONG = re.compile(r"([αεη])υ(?=(.)?)")
# Phonetic spellings the press also uses (Kyriakos -> Kiriakos, Christodoulidis -> Hristodulidis).
_GREEK_PHONETIC = [("y", "i"), ("ou", "u"), ("ch", "h"), ("ai", "e"), ("oi", "i"), ("ei", "i")]
# Word-level press alternatives: Cypriot and older spellings (-ides, C for K, ph for f).
_GREEK_PRESS = [(re.compile(r"idis$"), "ides"), (re.compile(r"^K(?=[aou])"), "C"), (re.compile(r"(?<=.)f"), "ph"),
                (re.compile(r"^Gi(?=[aeiou])"), "Y"), (re.compile(r"(?<=.)gi(?=[aou])"), "y"), (re.compile(r"^Nt"), "D")]


def _greek_word(word: str) -> str:
    low = word.lower()
    low = _GREEK_U_DIPHTHONG.sub(lambda m: {"α": "a", "ε": "e", "η": "i"}[m.group(1)]
                                 + ("f" if not m.group(2) or m.group(2) in _GREEK_VOICELESS else "v"), low)
    low = re.sub(r"^μπ", "b", low).replace("μπ", "mb")
    for gr, lat in _GREEK_DIGRAPHS:
        low = low.replace(gr, lat)
    low = "".join(_GREEK.get(c, c) for c in low)
    return low[:1].upper() + low[1:]


def greek_variants(text: str, limit: int = 12) -> list[str]:
    """ELOT 743 romanisation of Greek `text`, its phonetic respelling, and the press's word-level
    alternatives (-ides, C for K, ph, Y for Gi) combined."""
    base = unicodedata.normalize("NFD", text)
    base = unicodedata.normalize("NFC", "".join(c for c in base if unicodedata.category(c) != "Mn"))
    words = [_greek_word(w) for w in base.split()]
    elot = " ".join(words)
    phonetic = elot.lower()
    for a, b in _GREEK_PHONETIC:
        phonetic = phonetic.replace(a, b)
    phonetic = " ".join(w[:1].upper() + w[1:] for w in phonetic.split())
    options = []
    for word in words:
        alts = [word]
        for pattern, repl in _GREEK_PRESS:
            alts += [pattern.sub(repl, a) for a in alts]
        options.append(list(dict.fromkeys(alts)))
    press = [" ".join(c) for c in islice(product(*options), limit)]
    return list(dict.fromkeys([elot, phonetic, *press]))


# --- Chinese -------------------------------------------------------------------------------
# pypinyin's Wade-Giles table writes ü as "v", the final -ai as -ei after m, n, l, h, s, sh
# (hai -> "hei") and -uo as -o after h and sh (huo -> "ho"); Wade-Giles has ü, -ai and -uo there.
_WG_UO_INITIALS = ("g", "k", "h", "zh", "ch", "sh")


def _wg_syllable(pinyin: str, wade: str) -> str:
    if pinyin.endswith("ai") and wade.endswith("ei"):
        wade = wade[:-2] + "ai"
    if pinyin.endswith("uo") and pinyin[:-2] in _WG_UO_INITIALS and not wade.endswith("uo"):
        wade = wade[:-1] + "uo"
    return wade.replace("v", "ü")


def _wade_giles(chars: list[str]) -> list[str]:
    plain = lazy_pinyin(chars, style=Style.NORMAL)
    wade = lazy_pinyin(chars, style=Style.WADEGILES)
    return [_wg_syllable(p, w) for p, w in zip(plain, wade, strict=True)]


# Czech transcription (cs.wikipedia "Česká transkripce čínštiny"), from pinyin syllables
# (pypinyin writes ü as v): initials in Czech letters, -ai/-ei/-ui as -aj/-ej/-uej, -ian -ien,
# -iu -iou, -ong -ung, the bare vowel of zi/ci/si/zhi/chi/shi/ri as an apostrophe, y as j.
_CS_INITIALS = (("zh", "č"), ("ch", "čch"), ("sh", "š"), ("b", "p"), ("p", "pch"), ("d", "t"), ("t", "tch"),
                ("g", "k"), ("k", "kch"), ("h", "ch"), ("j", "ť"), ("q", "čch"), ("x", "s"), ("r", "ž"), ("z", "c"),
                ("c", "cch"), ("m", "m"), ("f", "f"), ("n", "n"), ("l", "l"), ("s", "s"))
_CS_FINALS = {"ai": "aj", "ei": "ej", "uai": "uaj", "ui": "uej", "iu": "iou", "ian": "ien", "ong": "ung",
              "iong": "iung", "ue": "üe"}
_CS_BARE_I = {"z", "c", "s", "zh", "ch", "sh", "r"}  # zi, zhi ...: no vowel sound of i
_CS_Y = {"yi": "i", "yin": "jin", "ying": "jing", "yan": "jen", "yong": "jung"}


def _czech_syllable(pinyin: str) -> str:
    syl = pinyin.replace("v", "ü")
    if syl in _CS_Y:
        return _CS_Y[syl]
    if syl.startswith("yu"):
        return "jü" + syl[2:]
    if syl.startswith("y"):
        return "j" + syl[1:]
    if syl.startswith("w"):
        return syl.replace("ei", "ej").replace("ai", "aj")
    initial = next(((p, c) for p, c in _CS_INITIALS if syl.startswith(p)), ("", ""))
    final = syl[len(initial[0]):]
    if initial[0] in ("j", "q", "x") and final.startswith("u"):
        final = "ü" + final[1:]  # ju, quan, xue: the u is ü
    if final == "i" and initial[0] in _CS_BARE_I:
        final = "'"
    return initial[1] + _CS_FINALS.get(final, final)


def czech_chinese(family: list[str], given: list[str]) -> str:
    """Pinyin syllables (family name, given name) in the Czech transcription, the given name's
    syllables hyphenated: Si Ťin-pching, Mao Ce-tung, Wang I."""
    fam = "".join(_czech_syllable(s) for s in family)
    giv = "-".join(_czech_syllable(s) for s in given)
    return f"{fam[:1].upper() + fam[1:]} {giv[:1].upper() + giv[1:]}".strip()


def _deaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def chinese_variants(hanzi: str, surname_chars: int = 1) -> dict[str, str]:
    """Person name in characters -> the spellings the press uses, family name first
    (`surname_chars` characters: 1, or 2 for 欧阳, 司马 ...):

    - pinyin (Xi Jinping), with ü (Lü), as passports write it (Lyu) and plain (Lu), and with the
      given name's syllables hyphenated or spaced (Xi Jin-ping, Xi Jin Ping);
    - Wade-Giles (Hsi Chin-p'ing) with and without apostrophes, hyphens and diaeresis
      (Hsi Chin-ping, Hsi Chin Ping, Hsi Chinping, Hsu), as Taiwan and older texts print it;
    - Czech (Si Ťin-pching, Mao Ce-tung), as Czech and Slovak media write Chinese names;
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
                "czech": czech_chinese(pf, pg), "palladius": name(cf, cg, "")})
    return out


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
