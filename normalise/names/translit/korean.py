"""Korean names (Hangul, family name first) into the spellings the press uses:

- Revised Romanization (RR, South Korea 2000): 윤석열 -> Yun Seogyeol;
- McCune-Reischauer (MR) with and without its breves and apostrophes: Kim Chŏng-ŭn, Kim Chong-un;
- the customary forms people use for their own names, which predate RR: a conventional family
  name (Lee, Park, Choi) and ㅓ/ㅕ/ㅡ written u/yu/u or o/yo as well as eo/yeo/eu
  (Kim Jong Un, Kim Jung-un, Yoon Suk-yeol, Lee Jae-myung), the given name's syllables spaced
  (the North Korean official style), hyphenated or joined;
- Czech (the Czech transcription: McCune-Reischauer in Czech letters, as Czech and Slovak media
  write Korean names): ㅈ č/dž, ㅊ čch, ㅋ ㅌ ㅍ kch/tch/pch, ㅓ ㅡ o/u, ㅐ ㅔ e, y -> j, ㅚ ö, ㅟ ü:
  Kim Čong-un, Mun Če-in, Jun Sok-jol;
- Russian (Kontsevich): given name in one word (Ким Чонын, Юн Сокёль), its syllables spaced as
  the press prints them (Ли Чжэ Мён), and for North Koreans the Soviet-era spelling Russian
  media kept (ㅓ -> е, final ㄹ -> р: Ким Чен Ын, Ким Ир Сен); romanised again by cyrillic.py.
"""
from __future__ import annotations

import unicodedata
from itertools import islice, product

_INITIAL_RR = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_INITIAL_MR = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'", "p'", "h"]
_MEDIAL_RR = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
              "yu", "eu", "ui", "i"]
_MEDIAL_MR = ["a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi",
              "yu", "ŭ", "ŭi", "i"]
_FINAL_RR = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
             "ng", "t", "t", "k", "t", "p", "t"]
_LIAISON_RR = {1: "g", 7: "d", 17: "b", 8: "r", 22: "j"}  # final ㄱ ㄷ ㅂ ㄹ ㅈ before a vowel (ㅇ)

# Czech transcription (cs.wikipedia "Transkripce korejštiny", the popular column): McCune-Reischauer
# in Czech letters; k t p č are voiced (g d b dž) inside the given name, as MR voices them.
_INITIAL_CS = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "č", "čč", "čch", "kch", "tch", "pch", "h"]
_VOICED_CS = {"k": "g", "t": "d", "p": "b", "č": "dž"}
_MEDIAL_CS = ["a", "e", "ja", "je", "o", "e", "jo", "je", "o", "wa", "we", "ö", "jo", "u", "wo", "we", "ü", "ju", "u",
              "ui", "i"]

# Customary vowel spellings (before RR): ㅓ eo/u/o, ㅕ yeo/yu/yo, ㅡ eu/u, ㅜ u/oo (Suk, Jung,
# Myung, Hyun, Eun/Un, Soo). Keyed by the medial index.
_CUSTOMARY_VOWELS = {4: ("eo", "u", "o"), 6: ("yeo", "yu", "yo"), 18: ("eu", "u"), 13: ("u", "oo"), 19: ("ui", "eui")}

# Family names with the spellings their bearers and the press use (the first is the usual one).
FAMILY_NAMES = {
    "이": ("Lee", "Yi", "Rhee", "I"), "리": ("Ri", "Lee", "Li"), "김": ("Kim", "Gim"), "박": ("Park", "Pak", "Bak"),
    "최": ("Choi", "Choe", "Chey"), "정": ("Jung", "Chung", "Jeong", "Jong"), "윤": ("Yoon", "Yun"), "한": ("Han",),
    "조": ("Cho", "Jo"), "강": ("Kang", "Gang"), "장": ("Jang", "Chang"), "임": ("Lim", "Im", "Rim"), "오": ("Oh", "O"),
    "신": ("Shin", "Sin"), "문": ("Moon", "Mun"), "노": ("Roh", "Noh", "No"), "로": ("Ro", "Roh"), "황": ("Hwang",),
    "안": ("Ahn", "An"), "송": ("Song",), "류": ("Ryu", "Yoo", "Yu"), "유": ("Yoo", "Yu"), "홍": ("Hong",),
    "전": ("Jeon", "Chun", "Jun", "Chon"), "고": ("Ko", "Go"), "권": ("Kwon", "Gwon"), "양": ("Yang",),
    "손": ("Son", "Sohn"), "배": ("Bae", "Pae"), "백": ("Baek", "Paik", "Paek"), "서": ("Seo", "Suh", "So"),
    "구": ("Koo", "Ku", "Gu"), "우": ("Woo", "U"), "추": ("Choo", "Chu"), "심": ("Shim", "Sim"), "하": ("Ha",),
}

# Kontsevich: initial consonant (word start), medial (after a vowel or ㄴ ㅁ ㅇ ㄹ: voiced), final.
_K_INITIAL = ["к", "кк", "н", "т", "тт", "р", "м", "п", "пп", "с", "сс", "", "ч", "чч", "чх", "кх", "тх", "пх", "х"]
_K_MEDIAL = ["г", "кк", "н", "д", "тт", "р", "м", "б", "пп", "с", "сс", "", "дж", "чч", "чх", "кх", "тх", "пх", "х"]
_K_VOWEL = ["а", "э", "я", "йе", "о", "е", "ё", "йе", "о", "ва", "вэ", "ве", "ё", "у", "во", "ве", "ви", "ю", "ы",
            "ый", "и"]
_K_FINAL = ["", "к", "к", "к", "н", "н", "н", "т", "ль", "к", "м", "ль", "ль", "ль", "п", "ль", "м", "п", "п", "т", "т",
            "н", "т", "т", "к", "т", "п", "т"]
_SONORANT_FINALS = {4, 8, 16, 21}  # ㄴ ㄹ ㅁ ㅇ
# Family names Russian writes by tradition rather than by the table (李 is Ли, not И).
_K_FAMILY = {"이": "Ли", "리": "Ли", "임": "Лим", "류": "Рю", "유": "Ю", "노": "Но", "최": "Чхве"}


def _parts(ch: str) -> tuple[int, int, int] | None:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return code // 588, (code % 588) // 28, code % 28


def _syllables(hangul: str) -> tuple[str, list[str]]:
    chars = [c for c in hangul if not c.isspace() and c not in "-·"]
    if not chars or any(_parts(c) is None for c in chars):
        raise ValueError(f"not a Korean name in Hangul: {hangul!r}")
    return chars[0], chars[1:]


def _rr(ch: str, before_vowel: bool = False) -> str:
    parts = _parts(ch)
    assert parts is not None
    ini, med, fin = parts
    final = _LIAISON_RR[fin] if before_vowel and fin in _LIAISON_RR else _FINAL_RR[fin]
    return _INITIAL_RR[ini] + _MEDIAL_RR[med] + final


def _mr(ch: str, first: bool) -> str:
    parts = _parts(ch)
    assert parts is not None
    ini, med, fin = parts
    initial = _INITIAL_MR[ini]
    if not first and initial in ("k", "t", "p", "ch"):
        initial = {"k": "g", "t": "d", "p": "b", "ch": "j"}[initial]  # voiced between vowels
    return initial + _MEDIAL_MR[med] + _FINAL_RR[fin]


def _cs(ch: str, first: bool) -> str:
    parts = _parts(ch)
    assert parts is not None
    ini, med, fin = parts
    initial = _INITIAL_CS[ini]
    if not first:
        initial = _VOICED_CS.get(initial, initial)
    return initial + _MEDIAL_CS[med] + _FINAL_RR[fin]


def czech(hangul: str) -> str:
    """The Czech transcription: family name, then the given name's syllables hyphenated
    (김정은 -> Kim Čong-un, 문재인 -> Mun Če-in, 최선희 -> Čchö Son-hui)."""
    fam, giv = _syllables(hangul)
    given = [_cs(c, i == 0) for i, c in enumerate(giv)]
    return f"{_cs(fam, True).capitalize()} {_given(given, '-', False)}".strip()


def _starts_with_vowel(ch: str) -> bool:
    parts = _parts(ch)
    return parts is not None and parts[0] == 11


def _given(syllables: list[str], sep: str, cap_each: bool) -> str:
    text = sep.join(s.capitalize() if cap_each else s for s in syllables)
    return text[:1].upper() + text[1:]


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").replace("'", "")


def korean_variants(hangul: str) -> dict[str, str]:
    """Latin forms of one Korean name: style -> form (see the module docstring)."""
    fam, giv = _syllables(hangul)
    rr_family = _rr(fam).capitalize()
    rr_joined = "".join(_rr(c, i + 1 < len(giv) and _starts_with_vowel(giv[i + 1])) for i, c in enumerate(giv))
    mr_given = [_mr(c, i == 0) for i, c in enumerate(giv)]
    mr_family = _mr(fam, True).capitalize()
    family = FAMILY_NAMES.get(fam, (rr_family,))[0]
    out = {"rr": f"{rr_family} {rr_joined.capitalize()}",
           "rr_hyphen": f"{rr_family} {_given([_rr(c) for c in giv], '-', False)}",
           "mr": f"{mr_family} {_given(mr_given, '-', False)}",
           "mr_plain": _plain(f"{mr_family} {_given(mr_given, '-', False)}"),
           "mr_plain_spaced": _plain(f"{mr_family} {_given(mr_given, ' ', True)}"),
           "press": f"{family} {_given([_rr(c) for c in giv], '-', False)}",
           "czech": czech(hangul)}
    for i, form in enumerate(customary_forms(hangul)):
        out[f"customary{i}"] = form
    return out


def customary_forms(hangul: str, limit: int = 60) -> list[str]:
    """Customary spellings: each family-name spelling with the given name's syllables in RR
    consonants and the customary vowel spellings, spaced, hyphenated or joined."""
    fam, giv = _syllables(hangul)
    families = FAMILY_NAMES.get(fam, (_rr(fam).capitalize(),))
    options = []
    for ch in giv:
        parts = _parts(ch)
        assert parts is not None
        ini, med, fin = parts
        vowels = _CUSTOMARY_VOWELS.get(med, (_MEDIAL_RR[med],))
        options.append([_INITIAL_RR[ini] + v + _FINAL_RR[fin] for v in vowels])
    given_forms: list[str] = []
    for combo in islice(product(*options), 12):
        syl = list(combo)
        given_forms += [_given(syl, " ", True), _given(syl, "-", False), _given(syl, "-", True), _given(syl, "", False)]
    forms = [f"{f} {g}".strip() for f in families for g in dict.fromkeys(given_forms)]
    return list(dict.fromkeys(forms))[:limit]


def kontsevich(hangul: str, *, spaced: bool = False, soviet: bool = False) -> str:
    """Russian (Kontsevich) form: family name, then the given name in one word, or with its
    syllables spaced as the press prints them (initial ㅈ as чж, later syllables voiced). `soviet`: the older spelling kept for
    North Korean names (ㅓ -> е after a consonant, final ㄹ -> р)."""
    fam, giv = _syllables(hangul)
    family = _K_FAMILY.get(fam) or _k_syllable(fam, initial=True, nxt=None, soviet=soviet, joined=False)
    pieces = []
    for i, ch in enumerate(giv):
        prev = _parts(giv[i - 1]) if i else None
        if soviet:
            initial = True  # each syllable read on its own: Ким Ё Чжон, Ким Чен Ын
        elif spaced:
            initial = i == 0  # the press voices the later syllables: Ли Чжэ Мён -> Ли Дже Мён
        else:
            initial = prev is None or not (prev[2] == 0 or prev[2] in _SONORANT_FINALS)
        nxt = giv[i + 1] if i + 1 < len(giv) else None
        piece = _k_syllable(ch, initial=initial, nxt=nxt, soviet=soviet, joined=not spaced and not soviet,
                            press=spaced and not soviet)
        if prev is not None and prev[2] == 8 and _parts(ch)[0] == 5:  # type: ignore[index]
            piece = "л" + piece[1:]  # ㄹㄹ is ll
        pieces.append(piece)
    given = " ".join(p.capitalize() for p in pieces) if spaced or soviet else "".join(pieces).capitalize()
    return f"{family.capitalize()} {given}".strip()


def _k_syllable(ch: str, *, initial: bool, nxt: str | None, soviet: bool, joined: bool, press: bool = False) -> str:
    parts = _parts(ch)
    assert parts is not None
    ini, med, fin = parts
    consonant = (_K_INITIAL if initial else _K_MEDIAL)[ini]
    if press and consonant == "ч":
        consonant = "чж"  # the press spelling of an initial ㅈ: Мун Чжэ Ин
    vowel = _K_VOWEL[med]
    if soviet and med == 4 and consonant:
        vowel = "е"
    if consonant and vowel.startswith("й"):
        vowel = "е"
    final = _K_FINAL[fin]
    before_vowel = joined and nxt is not None and _starts_with_vowel(nxt)
    if fin == 8 and (soviet or before_vowel):
        final = "р"
    if fin == 21 and before_vowel:
        final = "нъ"  # ㅇ before a vowel: keeps the syllables apart (Чонъын)
    return consonant + vowel + final
