"""Every generated spelling of one person: from each native form into each convention, the
romanisation alternations of the canonical form, and the double transliteration through
Russian that machine translation produces. Each variant records how it was made."""
from __future__ import annotations

import re

from normalise.names.translit import cyrillic, given_names, japanese, korean, respell, scripts, to_cyrillic

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_ARABIC_HEBREW = re.compile(r"[\u0590-\u06ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f'’.\- ]+$")
# Countries whose leaders' names reach English through a romanisation of another script.
ROMANISED = {"IR", "IQ", "SY", "LB", "JO", "SA", "AE", "QA", "KW", "BH", "OM", "YE", "EG", "LY", "TN", "DZ", "MA",
             "SD", "PS", "IL", "AF", "PK", "IN", "BD", "NP", "LK", "MR", "SO", "DJ", "KM", "ER", "ET", "TJ",
             "TM", "UZ", "KZ", "KG", "MN", "TH", "MM", "KH", "LA", "GE", "AM"}
CJK_ORDER = {"CN", "TW", "HK", "MO", "KR", "KP", "VN", "SG"}


# Conventions a Russian form is romanised into again (the languages MT from Russian writes in).
RESPELLED_ALTERNATIVES = 6
RESPELLED_COMPOUND_ALTERNATIVES = 2  # of each joined or split Abd- form (Mohammed ben Abdelrahman)
VIA_RUSSIAN = ("en", "en_press", "de", "fr", "pl", "es", "it")
_SYLLABLE_SEP = re.compile(r"[-\s]")


def person_variants(canonical: str, country: str, natives: list[str], kana: list[str] | None = None) -> dict[str, str]:
    """Generated full-name variants of one person: variant -> how it was made."""
    out: dict[str, str] = {}

    def add(form: str, how: str) -> None:
        form = " ".join(form.split())
        if form and form != canonical and _LATIN.match(form):
            out.setdefault(form, how)

    for native in natives:
        if _CYRILLIC.search(native):
            _cyrillic(native, country, natives, add)
        elif _GREEK.search(native):
            for form in scripts.greek_variants(native):
                add(form, "greek")
        elif _HAN.search(native) and country not in ("JP",):
            _chinese(native, add)
        elif _HANGUL.search(native):
            _korean(native, country, add)
    if kana and len(kana) == 2:
        _japanese(kana[0], kana[1], add)
    if country in CJK_ORDER:
        for form in separator_variants(canonical):
            add(form, "syllables")
    _from_english(canonical, country, natives, bool(kana), add)
    return out


def _from_english(canonical: str, country: str, natives: list[str], has_kana: bool, add) -> None:
    """Variants made from the canonical English form: romanisation alternations and respellings
    for names that reach English through a romanisation, and the form that comes back through
    Russian for names Russian takes from a Latin spelling."""
    romanised = country in ROMANISED or any(_ARABIC_HEBREW.search(n) for n in natives)
    if romanised:
        alternatives = respell.romanisation_variants(canonical)
        article = _with_native_article(canonical, natives)
        if article:
            alternatives += [article, *respell.romanisation_variants(article)]
        for form in alternatives:
            add(form, "romanisation")
        # Each language respells the English form and the closest alternatives (Haniyeh and
        # Haniya -> Hanija in German).
        bases = [canonical, *alternatives[:RESPELLED_ALTERNATIVES]]
        for compound in respell.compound_forms(canonical):  # and a few of each one's alternatives
            bases += [compound, *respell.romanisation_variants(compound)[:RESPELLED_COMPOUND_ALTERNATIVES]]
        for base in dict.fromkeys(bases):
            for conv in respell.CONVENTION_RULES:
                add(respell.respell(base, conv), f"respell:{conv}")
    # Russian renders Greek, Korean, Chinese and Japanese names from the native form, not from
    # English; a Japanese name without kana goes through Polivanov's rules on Hepburn.
    if not any(_CYRILLIC.search(n) or _GREEK.search(n) or _HANGUL.search(n) for n in natives) \
            and country not in CJK_ORDER and not has_kana:
        language = "romanised" if romanised else to_cyrillic.LANGUAGE_BY_COUNTRY.get(country, "en")
        for russian in to_cyrillic.to_russian_forms(canonical, language):
            _via_russian(russian, "via-russian", add)


def _with_native_article(canonical: str, natives: list[str]) -> str | None:
    """The canonical name with the article its Arabic form writes on the surname and the
    English form leaves out (Ayman Safadi, أيمن الصفدي -> Ayman al-Safadi); None otherwise."""
    words = canonical.split()
    # two words only: a longer name's last word may close a compound (Aboul Gheit, Ould Abdel
    # Aziz); a surname that starts with the article's sound already holds it (Albusaidi, Larbaoui)
    if len(words) != 2 or "-" in words[1] or re.match(r"(?:[AE]l[a-z]|L)", words[1]):
        return None
    for native in natives:
        parts = native.split()
        if len(parts) == len(words) and _ARABIC.search(native) and parts[-1].startswith("ال") and len(parts[-1]) > 3:
            return " ".join([*words[:-1], f"al-{words[-1]}"])
    return None


def _via_russian(russian: str, label: str, add) -> None:
    for conv in VIA_RUSSIAN:
        add(cyrillic.romanize(russian, conv), f"{label}:{conv}")
    _soft_sign(russian, label, add)


def _soft_sign(russian: str, label: str, add) -> None:
    """The English form with the soft sign written as an apostrophe, as BGN/PCGN and much
    machine translation do (Альбин Курти -> Al'bin Kurti, Игорь -> Igor')."""
    if "ь" in russian.lower():
        add(cyrillic.romanize(re.sub("[ьЬ]", "'", russian), "en"), f"{label}:en+soft-sign")


def _cyrillic(native: str, country: str, natives: list[str], add) -> None:
    # A Ukrainian person's unmarked second Cyrillic form is the Russian spelling.
    uk = cyrillic.is_ukrainian(native) or (country == "UA" and not any(map(cyrillic.is_ukrainian, natives)))
    # Russian print mostly writes ё as е (Аксёнов, Аксенов): both reach other languages.
    for text, suffix in ((native, ""), (native.replace("ё", "е").replace("Ё", "Е"), "+yo-as-e")):
        for conv, form in cyrillic.romanize_all(text, ukrainian=uk).items():
            add(form, f"cyrillic:{conv}{suffix}")
        if not uk:
            _soft_sign(text, f"cyrillic{suffix}", add)
        if uk:
            add(cyrillic.romanize(text, "uk", ukrainian=True), f"cyrillic:uk{suffix}")
        # The English press writes кс in a given name as x (Alexei, Alexander, Maxim).
        press = cyrillic.romanize(text, "en_press", ukrainian=uk).split(" ", 1)
        if len(press) == 2 and "ks" in press[0]:
            add(f"{press[0].replace('ks', 'x')} {press[1]}", f"cyrillic:en_press+x{suffix}")
    # Languages that translate the given name keep their own form of it (Alexandre Loukachenko).
    words = native.split()
    if len(words) >= 2:
        for conv in ("fr", "es", "it", "pl", "pt", "de"):
            given = given_names.equivalent(words[0], conv)
            if given:
                rest = cyrillic.romanize(" ".join(words[1:]), conv, ukrainian=uk)
                add(f"{given} {rest}", f"cyrillic:{conv}+given-name")


def _chinese(native: str, add) -> None:
    forms = scripts.chinese_variants(native)
    for style, form in forms.items():
        if style != "palladius":
            add(form, f"chinese:{style}")
    for conv, form in cyrillic.romanize_all(forms["palladius"]).items():
        add(form, f"chinese:palladius>{conv}")


def _korean(native: str, country: str, add) -> None:
    for style, form in korean.korean_variants(native).items():
        add(form, f"korean:{style}")
    russian = {"kontsevich": korean.kontsevich(native), "kontsevich_spaced": korean.kontsevich(native, spaced=True)}
    if country == "KP":
        russian["soviet"] = korean.kontsevich(native, soviet=True)
    for style, form in russian.items():
        for conv, latin in cyrillic.romanize_all(form).items():
            add(latin, f"korean:{style}>{conv}")


def _japanese(family: str, given: str, add) -> None:
    for style, form in scripts.japanese_variants(family, given).items():
        add(form, f"japanese:{style}")
    extra = japanese.japanese_extra(family, given)
    for style in ("kunrei", "kunrei_circumflex"):
        add(extra[style], f"japanese:{style}")
    for style in ("polivanov", "polivanov_vowel"):
        _via_russian(extra[style], f"japanese:{style}", add)


def separator_variants(name: str) -> list[str]:
    """An East Asian name (family name first) with its given name's syllables hyphenated,
    spaced or joined: Kim Jong Un -> Kim Jong-un, Kim Jong-Un, Kim Jongun; Lai Ching-te ->
    Lai Ching Te, Lai Chingte."""
    words = name.split()
    if len(words) < 2:
        return []
    family, syllables = words[0], [s for s in _SYLLABLE_SEP.split(" ".join(words[1:])) if s]
    if len(syllables) < 2:
        return []
    low = [s.lower() for s in syllables]
    given = [" ".join(s.capitalize() for s in low), "-".join(low), "-".join(s.capitalize() for s in low), "".join(low)]
    return [f"{family} {g[:1].upper() + g[1:]}" for g in given]
