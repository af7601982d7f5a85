"""Every generated spelling of one person: from each native form into each convention, the
romanisation alternations of the canonical form, and the double transliteration through
Russian that machine translation produces. Each variant records how it was made."""
from __future__ import annotations

import re

from normalise.names.translit import cyrillic, respell, scripts, to_cyrillic

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_ARABIC_HEBREW = re.compile(r"[\u0590-\u06ff]")
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f'’.\- ]+$")
# Countries whose leaders' names reach English through a romanisation of another script.
ROMANISED = {"IR", "IQ", "SY", "LB", "JO", "SA", "AE", "QA", "KW", "BH", "OM", "YE", "EG", "LY", "TN", "DZ", "MA",
             "SD", "PS", "IL", "AF", "PK", "IN", "BD", "NP", "LK", "MR", "SO", "DJ", "KM", "ER", "ET", "TJ",
             "TM", "UZ", "KZ", "KG", "MN", "TH", "MM", "KH", "LA", "GE", "AM"}
CJK_ORDER = {"CN", "TW", "HK", "MO", "KR", "KP", "VN", "SG"}


def person_variants(canonical: str, country: str, natives: list[str], kana: list[str] | None = None) -> dict[str, str]:
    """Generated full-name variants of one person: variant -> how it was made."""
    out: dict[str, str] = {}

    def add(form: str, how: str) -> None:
        form = " ".join(form.split())
        if form and form != canonical and _LATIN.match(form):
            out.setdefault(form, how)

    for native in natives:
        if _CYRILLIC.search(native):
            # A Ukrainian person's unmarked second Cyrillic form is the Russian spelling.
            uk = cyrillic.is_ukrainian(native) or (country == "UA" and not any(map(cyrillic.is_ukrainian, natives)))
            for conv, form in cyrillic.romanize_all(native, ukrainian=uk).items():
                add(form, f"cyrillic:{conv}")
        elif _GREEK.search(native):
            for form in scripts.greek_variants(native):
                add(form, "greek")
        elif _HAN.search(native) and country not in ("JP",):
            forms = scripts.chinese_variants(native)
            for style in ("pinyin", "wade_giles", "wade_giles_plain"):
                add(forms[style], f"chinese:{style}")
            for conv, form in cyrillic.romanize_all(forms["palladius"]).items():
                add(form, f"chinese:palladius>{conv}")
        elif _HANGUL.search(native):
            for style, form in scripts.korean_variants(native).items():
                add(form, f"korean:{style}")
    if kana and len(kana) == 2:
        for style, form in scripts.japanese_variants(kana[0], kana[1]).items():
            add(form, f"japanese:{style}")
    if country in ROMANISED or any(_ARABIC_HEBREW.search(n) for n in natives):
        for form in respell.romanisation_variants(canonical):
            add(form, "romanisation")
        for conv in respell.CONVENTION_RULES:
            add(respell.respell(canonical, conv), f"respell:{conv}")
    # Russian renders Greek and Korean names from the native form, not from English; Japanese
    # Hepburn goes through Polivanov's system (to_cyrillic "ja" rules: Ishiba -> Исиба).
    if not any(_CYRILLIC.search(n) or _GREEK.search(n) or _HANGUL.search(n) for n in natives) \
            and country not in CJK_ORDER:
        language = to_cyrillic.LANGUAGE_BY_COUNTRY.get(country, "en")
        russian = to_cyrillic.to_russian(canonical, language)
        for conv in ("en", "en_press", "de", "fr", "pl"):
            add(cyrillic.romanize(russian, conv), f"via-russian:{conv}")
    return out
