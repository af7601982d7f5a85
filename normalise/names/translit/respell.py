"""Spelling variants of names that reach English through a romanisation (Arabic, Persian,
Hebrew, Indic, ...): the alternations English romanisations use among themselves
(Mohammed/Muhammad/Mohamed, al-/el-, ou/u, ee/i) and the way German, French, Spanish,
Italian, Polish, Portuguese and Turkish respell the same sounds (sh -> sch / ch / sz / ş,
j -> dsch / dj / y / c, kh -> ch / j)."""
from __future__ import annotations

import re
from itertools import islice, product

# Whole-word alternations: any form in a group may be written for any other.
WORD_GROUPS: list[tuple[str, ...]] = [
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad", "Muhammed", "Mohamad", "Mehmet", "Mahomet"),
    ("Ahmed", "Ahmad"), ("Mahmoud", "Mahmud"), ("Hussein", "Husayn", "Hussain", "Houssein", "Husain"),
    ("Hassan", "Hasan"), ("Hossein", "Hosein", "Hussein"), ("Ali", "Aly"), ("Abdullah", "Abdallah", "Abdulla"),
    ("Abdul", "Abdel", "Abd al"), ("Abdel", "Abd el", "Abd al", "Abdul"), ("Youssef", "Yusuf", "Yousef", "Youssouf"),
    ("Khaled", "Khalid"), ("Said", "Saeed", "Saïd", "Sayed"), ("Omar", "Umar"), ("Osman", "Othman", "Uthman"),
    ("Abbas", "Abas"), ("Abu", "Abou"), ("bin", "ben", "ibn"), ("Bashar", "Baschar", "Bachar"),
    ("Mustafa", "Moustafa", "Mostafa"), ("Ismail", "Ismaïl", "Esmail"), ("Ibrahim", "Ebrahim"),
    ("Fatah", "Fateh"), ("Jawad", "Javad"), ("Naim", "Naeem"), ("Qassem", "Kassem", "Qasem", "Kasem"),
    ("Sheikh", "Shaikh", "Scheich", "Cheikh", "Jeque"), ("Benjamin", "Binyamin", "Benyamin", "Beniamin"),
    ("Masoud", "Massoud", "Massud", "Masud"),
    ("Yitzhak", "Itzhak", "Isaac"), ("Moshe", "Mosche"), ("Yahya", "Yehia", "Yahia"), ("Saleh", "Salih"),
]
# Article forms: al-Sisi / el-Sisi / Al Sisi / Sisi.
_ARTICLE = re.compile(r"^(?:al|el|Al|El|ad|ar|as|ash|at|az|an)[-\s‑]", re.UNICODE)

# English romanisation -> each convention (ordered rewrites on the word).
CONVENTION_RULES: dict[str, list[tuple[str, str]]] = {
    "de": [(r"sh", "sch"), (r"kh", "ch"), (r"ch", "tsch"), (r"j", "dsch"), (r"^y", "j"), (r"y(?=[aeiou])", "j"), (r"v", "w"), (r"(?<=[aeiou])z|^z", "s"), (r"oo", "u"),
           (r"ee", "i")],
    # French: a final -an takes an e so the n is sounded (Salmane, Bourhane), as in Poutine.
    "fr": [(r"sh", "ch"), (r"kh", "kh"), (r"ch", "tch"), (r"j", "dj"), (r"ou", "ou"), (r"(?<![aeo])u", "ou"),
           (r"w", "ou"), (r"oo", "ou"), (r"ee", "i"), (r"(?<=[bcdfghklmnprstvz])an$", "ane")],
    "es": [(r"kh", "j"), (r"sh", "sh"), (r"ch", "ch"), (r"j", "y"), (r"oo", "u"), (r"ee", "i"), (r"w", "u")],
    "it": [(r"sh", "sc"), (r"kh", "kh"), (r"ch", "ch"), (r"j", "g"), (r"oo", "u"), (r"ee", "i"), (r"w", "u"),
           (r"y", "i")],
    "pl": [(r"sh", "sz"), (r"kh", "ch"), (r"ch", "cz"), (r"j", "dż"), (r"^y", "j"), (r"y(?=[aeiou])", "j"), (r"v", "w"), (r"oo", "u"), (r"ee", "i")],
    "pt": [(r"sh", "ch"), (r"kh", "kh"), (r"ch", "tch"), (r"j", "dj"), (r"oo", "u"), (r"ee", "i"), (r"w", "u")],
    "tr": [(r"sh", "ş"), (r"kh", "h"), (r"ch", "ç"), (r"j", "c"), (r"oo", "u"), (r"ee", "i"), (r"w", "v"),
           (r"q", "k"), (r"x", "ks"), (r"(?<=[ae])i$", "y"), (r"aa", "a"), (r"ou", "u")],
}
# One alternation per convention so a rewrite is never rewritten again (sh -> sch must not
# then meet the ch -> tsch rule).
_COMPILED = {conv: (re.compile("|".join(f"({p})" for p, _ in rules)), [r for _, r in rules])
             for conv, rules in CONVENTION_RULES.items()}
_GROUP_OF: dict[str, tuple[str, ...]] = {}
for _group in WORD_GROUPS:
    for _word in _group:
        _GROUP_OF.setdefault(_word.lower(), tuple(dict.fromkeys(_GROUP_OF.get(_word.lower(), ()) + _group)))


# Arabic "sun letters": the article al- takes their sound (ash-Sharaa, as-Sisi, ar-Rashid).
_SUN = ("sh", "th", "dh", "t", "d", "r", "z", "s", "n")
# Turkish writes the assimilated article with its own letters (eş-Şara, es-Sisi).
_TURKISH_SUN = {"sh": "ş", "th": "s", "dh": "z"}


def assimilated_article(rest: str) -> str | None:
    """The article as Arabic pronounces it before `rest` (a sun letter): "sh" for Sharaa."""
    low = rest.lower()
    return next((sun for sun in _SUN if low.startswith(sun)), None)


def _ta_marbuta(word: str) -> list[str]:
    """The feminine ending's spellings: Haniyeh / Haniyah / Haniya (not after a doubled
    consonant: Fattah, Abdullah are no feminine endings)."""
    low = word.lower()
    if len(word) < 5 or not low.endswith(("eh", "ah")) or low[-3] == low[-4] or low[-3] in "aeiou":
        return []
    stem = word[:-2]
    return [stem + "eh", stem + "ah", stem + "a"]


def word_alternatives(word: str) -> list[str]:
    """The word itself, its alternation group, its article forms (al-, el-, Al, none, and the
    article assimilated to a sun letter: ash-Sharaa) and its feminine-ending spellings."""
    out = [word]
    out.extend(_GROUP_OF.get(word.lower(), ()))
    m = _ARTICLE.match(word)
    if m:
        rest = word[m.end():]
        out.extend([rest, f"al-{rest}", f"el-{rest}", f"Al {rest}", f"Al-{rest}"])
        sun = assimilated_article(rest)
        if sun:
            out.extend([f"a{sun}-{rest}", f"e{sun}-{rest}"])
    out.extend(_ta_marbuta(word))
    return list(dict.fromkeys(out))


# "Servant of ...": the first part of a compound name (Abdul Hamid, Abdelrahman, Abdelatty).
_ABD_JOINED = ("Abdul", "Abdel")
_ABD_WORD = re.compile(r"^(Abdul|Abdel|Abdal|Abdoul|Abd)(?=[A-Za-z]{4})", re.IGNORECASE)


def compound_forms(name: str) -> list[str]:
    """The name with a compound Abd- name (given name or surname) written the other customary
    ways: joined or apart, Abdul or Abdel (Abdul Hamid Dbeibeh -> Abdulhamid, Abdelhamid Dbeibeh;
    Abdulrahman -> Abdelrahman, Abdul Rahman; Badr Abdelatty -> Badr Abdel Atty)."""
    words = name.split()
    out: list[str] = []
    for i, word in enumerate(words):
        if word in ("Abdul", "Abdel", "Abd") and i + 1 < len(words) and words[i + 1][:1].isupper():
            rest = words[i + 1]
            for prefix in _ABD_JOINED:
                out.append(" ".join([*words[:i], prefix + rest.lower(), *words[i + 2:]]))
            continue
        m = _ABD_WORD.match(word)
        rest = word[m.end():] if m and "-" not in word else ""
        # Abdullah, Abdalla (servant of God) are one word, not Abd- and a name; Abdelatty is
        # Abdel Atty
        if rest and rest[0].lower() != "l" and not (m and m.group(1).lower() == "abd" and rest[0].lower() in "aeiou"):
            for prefix in _ABD_JOINED:
                out.append(" ".join([*words[:i], prefix + rest.lower(), *words[i + 1:]]))
                out.append(" ".join([*words[:i], prefix, rest[:1].upper() + rest[1:], *words[i + 1:]]))
    return [f for f in dict.fromkeys(out) if f != name]


def romanisation_variants(name: str, limit: int = 24) -> list[str]:
    """Alternative English romanisations of `name` (combinations of word alternatives, capped),
    then the other ways of writing its compound given name (compound_forms)."""
    words = name.split()
    choices = [word_alternatives(w) for w in words]
    combos = (" ".join(c) for c in product(*choices))
    out = [c for c in islice(combos, limit + 1) if c != name][:limit]
    return list(dict.fromkeys([*out, *compound_forms(name)]))


def respell(name: str, convention: str) -> str:
    """An English romanisation `name` respelled the way `convention` writes the same sounds."""
    compiled = _COMPILED.get(convention)
    if compiled is None:
        raise ValueError(f"unknown respelling convention {convention!r}; known: {', '.join(CONVENTION_RULES)}")
    pattern, replacements = compiled
    out = []
    for word in name.split():
        m = _ARTICLE.match(word)
        sun = assimilated_article(word[m.end():]) if m and convention == "tr" else None
        if m and sun:  # Turkish: el-Sisi -> es-Sisi, al-Sharaa -> eş-Şara
            rest = respell(word[m.end():], convention)
            out.append(f"e{_TURKISH_SUN.get(sun, sun)}-{rest}")
            continue
        parts = []
        for part in word.split("-"):
            new = pattern.sub(lambda m: replacements[(m.lastindex or 1) - 1], part.lower())
            parts.append(new[:1].upper() + new[1:] if part[:1].isupper() else new)
        out.append("-".join(parts))
    return " ".join(out)
