"""People of the world's news as data: normalise/names/data/people/*.yaml.

Each file holds `people:`, a list of mappings:

    - {name: Olaf Scholz, country: DE, roles: [hog], years: 2021-2025}
    - {name: Xi Jinping, native: [习近平], country: CN, roles: [hos], years: 2013-}
    - {name: Shigeru Ishiba, native: [石破茂], kana: [いしば, しげる], country: JP, roles: [hog], years: 2024-2025}

name: the English Wikipedia form; native: the name in its own script(s) (and the Russian form
for Ukrainians and Belarusians); kana: Japanese reading, family then given; country: ISO 3166
alpha-2, or an organisation code (UN, EU, NATO, ...); roles: see ROLES; years: first-last year
in the role(s) (open end: still in office); surname: the short form when it is not the last
word; id: when the slug of the name would clash.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from normalise.names.gazetteer import DATA_DIR, GazetteerError, read_yaml

PEOPLE_DIR = DATA_DIR / "people"
ROLES = {
    "hos": "head of state", "hog": "head of government", "fm": "foreign minister", "dm": "defence minister",
    "party": "party leader", "org": "leader of an international organisation", "armed": "armed group leader",
    "gov": "other senior government post", "opp": "opposition leader",
}
ORGANISATION_CODES = {"UN", "EU", "NATO", "AU", "ASEAN", "OPEC", "WHO", "IMF", "WB", "WTO", "IAEA", "ICC", "OSCE",
                      "ARAB", "GCC", "OAS", "CE", "ICRC", "OIC", "SCO", "BRICS", "INTERPOL", "FIFA", "IOC",
                      "UNESCO", "UNHCR", "UNICEF", "WFP", "ECB", "COE", "G7", "CIS", "CSTO", "ECOWAS", "SADC", "PS"}
_YEARS = re.compile(r"^(\d{4})-(\d{4})?$")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class PersonRecord:
    id: str
    name: str
    country: str
    roles: list[str]
    years: tuple[int, int | None]
    native: list[str] = field(default_factory=list)
    kana: list[str] = field(default_factory=list)
    surname: str = ""
    source: str = ""


def slug(name: str) -> str:
    from unidecode import unidecode

    return _SLUG.sub("-", unidecode(name).lower()).strip("-")


def _strings(raw: dict, key: str, where: str) -> list[str]:
    value = raw.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: '{key}' must be a list of non-empty strings")
    return [v.strip() for v in value]


def _person(raw: object, where: str) -> PersonRecord:
    if not isinstance(raw, dict):
        raise GazetteerError(f"{where}: each person must be a mapping")
    unknown = set(raw) - {"id", "name", "native", "kana", "country", "roles", "years", "surname"}
    if unknown:
        raise GazetteerError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise GazetteerError(f"{where}: missing or empty 'name'")
    country = raw.get("country")
    if isinstance(country, bool):
        raise GazetteerError(f"{where}: {name}: 'country' read as {country}: quote the code (\"NO\" for Norway)")
    if not isinstance(country, str) or not (re.fullmatch(r"[A-Z]{2}", country) or country in ORGANISATION_CODES):
        raise GazetteerError(f"{where}: {name}: 'country' must be an ISO 3166 alpha-2 code or one of "
                             f"{', '.join(sorted(ORGANISATION_CODES))} (got {country!r})")
    roles = _strings(raw, "roles", where)
    bad = [r for r in roles if r not in ROLES]
    if not roles or bad:
        raise GazetteerError(f"{where}: {name}: 'roles' must list some of {', '.join(ROLES)} (got {roles!r})")
    years = str(raw.get("years", ""))
    m = _YEARS.match(years)
    if not m or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise GazetteerError(f"{where}: {name}: 'years' must be FIRST-LAST or FIRST- (got {years!r})")
    kana = _strings(raw, "kana", where)
    if kana and len(kana) != 2:
        raise GazetteerError(f"{where}: {name}: 'kana' must be [family, given]")
    surname = str(raw.get("surname") or "").strip()
    if surname and surname not in name:
        raise GazetteerError(f"{where}: {name}: 'surname' {surname!r} is not part of the name")
    return PersonRecord(id=str(raw.get("id") or slug(name)), name=" ".join(name.split()), country=country,
                        roles=roles, years=(int(m.group(1)), int(m.group(2)) if m.group(2) else None),
                        native=_strings(raw, "native", where), kana=kana, surname=surname, source=where)


def people_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or PEOPLE_DIR).glob("*.yaml"))


def load_people(files: list[Path] | None = None) -> list[PersonRecord]:
    """All people, validated; the same person listed twice (same id) is merged: roles and
    native forms are joined, the year span widened."""
    by_id: dict[str, PersonRecord] = {}
    for path in people_files() if files is None else files:
        data = read_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("people"), list):
            raise GazetteerError(f"people file {path} must hold a mapping with a 'people' list")
        for i, raw in enumerate(data["people"]):
            person = _person(raw, f"{path}: people[{i}]")
            known = by_id.get(person.id)
            if known is None:
                by_id[person.id] = person
                continue
            if known.name != person.name:
                raise GazetteerError(f"{person.source}: id {person.id!r} is already {known.name!r} "
                                     f"({known.source}); give one of them an explicit 'id'")
            known.roles.extend(r for r in person.roles if r not in known.roles)
            known.native.extend(n for n in person.native if n not in known.native)
            first = min(known.years[0], person.years[0])
            last = None if None in (known.years[1], person.years[1]) else max(known.years[1], person.years[1])  # type: ignore[type-var]
            known.years = (first, last)
    return list(by_id.values())
