"""The gazetteer: known people, places and organisations, loaded from YAML data files.

Files are `normalise/names/data/*.yaml` (people, places, organisations, lexicon) plus any
user files given as `gazetteer_paths`. A file holds `entities:`, a list of mappings:

    - id: vladimir-medinsky          # stable id, lower-case
      type: person                   # person | place | organisation
      canonical: Vladimir Medinsky   # English Wikipedia form
      given: [Vladimir, Владимир]    # persons: given-name variants, canonical first
      surname: Medinsky              # persons: canonical short form (default: canonical);
                                     # places use `short` (Dolmabahçe for Dolmabahçe Palace)
      variants: [Medinski, Мединский, 梅金斯基]   # any script
      context_variants: [{forms: [...], require_any: [...], block_near: [...]}]
      alone: true                    # false: surname only matched after a given name
      cues: [delegation, negotiator] # role / context words
      country: RU
      topics: [russia-ukraine]
      not: [medina]                  # confusable different entities (checked at load)
      not_after: [chicken]           # a preceding word that means something else
      not_before: [texas]            # a following word that means something else

A user file may also extend a known entity: an entry with an existing `id` and no
`canonical` adds its lists (variants, given, cues, ...) to that entity.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normalise.safe_yaml import UserFileError, load_user_yaml, reject_unknown_keys

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_FILE = DATA_DIR / "lexicon.yaml"
ENTITY_TYPES = ("person", "place", "organisation")
_LIST_FIELDS = ("given", "variants", "cues", "topics", "not", "not_after", "not_before")


# A learned-links file (normalise/names/links.py) is a gazetteer file too: its applied links are
# `entities`, its review state the other keys.
GAZETTEER_FILE_KEYS = ("entities", "links", "auto_apply", "min_confidence")


class GazetteerError(ValueError):
    """A gazetteer file that cannot be used; the message names the file and the entry."""


@dataclass
class ContextVariant:
    forms: list[str]
    require_any: list[str] = field(default_factory=list)  # document must contain one of these
    block_near: list[str] = field(default_factory=list)  # the block must contain none of these


@dataclass
class Entity:
    id: str
    type: str
    canonical: str
    surname: str = ""
    given: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    context_variants: list[ContextVariant] = field(default_factory=list)
    alone: bool = True
    cues: list[str] = field(default_factory=list)
    country: str | None = None
    topics: list[str] = field(default_factory=list)
    not_: list[str] = field(default_factory=list)
    not_after: list[str] = field(default_factory=list)
    not_before: list[str] = field(default_factory=list)
    source: str = ""
    # Filled by the compiled world layer (normalise.names.build); empty for hand-typed entities.
    kind: str = ""  # place: country | subdivision | city; person: ""
    population: int = 0  # places: ranks places sharing a name
    roles: list[str] = field(default_factory=list)  # persons: hos, hog, fm, dm, ... (build.people.ROLES)
    years: tuple[int, int | None] | None = None  # persons: first and last year in office (None: still)
    native: list[str] = field(default_factory=list)  # native-script forms (protection before translation)
    former: list[tuple[str, int]] = field(default_factory=list)  # places: (old name, year it changed)
    generated: dict[str, str] = field(default_factory=dict)  # generated variant -> how it was made
    flags: dict[str, str] = field(default_factory=dict)  # doubtful form -> why (kept, but not certain)

    @property
    def short(self) -> str:
        """The form written when only the surname (or the place name) is mentioned."""
        return self.surname or self.canonical


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    lexicon: dict[str, Any]
    files: list[str]
    world_ids: set[str] = field(default_factory=set)  # entities only the compiled world layer has


def _as_list(value: Any, where: str, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise GazetteerError(f"{where}: '{name}' must be a list of strings")
    return [str(v) for v in value]


def _context_variants(raw: Any, where: str) -> list[ContextVariant]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise GazetteerError(f"{where}: 'context_variants' must be a list of mappings")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or "forms" not in item:
            raise GazetteerError(f"{where}: context_variants[{i}] needs 'forms'")
        out.append(ContextVariant(forms=_as_list(item["forms"], where, "forms"),
                                  require_any=[w.lower() for w in _as_list(item.get("require_any"), where, "require_any")],
                                  block_near=[w.lower() for w in _as_list(item.get("block_near"), where, "block_near")]))
    return out


def _entity(raw: dict, where: str) -> Entity:
    for key in ("id", "type", "canonical"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise GazetteerError(f"{where}: missing or empty '{key}'")
    if raw["type"] not in ENTITY_TYPES:
        raise GazetteerError(f"{where}: type {raw['type']!r} is not one of {', '.join(ENTITY_TYPES)}")
    ent = Entity(id=raw["id"], type=raw["type"], canonical=raw["canonical"].strip(),
                 surname=str(raw.get("surname") or raw.get("short") or "").strip(),
                 context_variants=_context_variants(raw.get("context_variants"), where),
                 alone=bool(raw.get("alone", True)), country=raw.get("country"), source=where)
    for name in _LIST_FIELDS:
        setattr(ent, "not_" if name == "not" else name, _as_list(raw.get(name), where, name))
    ent.cues = [c.lower() for c in ent.cues]
    ent.not_after = [c.lower() for c in ent.not_after]
    ent.not_before = [c.lower() for c in ent.not_before]
    if ent.type == "person" and ent.given and ent.surname:
        expected = f"{ent.given[0]} {ent.surname}"
        if expected != ent.canonical:
            raise GazetteerError(f"{where}: canonical {ent.canonical!r} must be given[0] + surname ({expected!r})")
    return ent


def _extend(ent: Entity, raw: dict, where: str) -> None:
    for name in _LIST_FIELDS:
        attr = "not_" if name == "not" else name
        extra = _as_list(raw.get(name), where, name)
        current = getattr(ent, attr)
        current.extend(v for v in extra if v not in current)
    ent.context_variants.extend(_context_variants(raw.get("context_variants"), where))


def read_yaml(path: Path) -> Any:
    """A YAML file's content; a clear GazetteerError naming the file if it cannot be read."""
    try:
        return load_user_yaml(path, "gazetteer file")
    except UserFileError as exc:
        raise GazetteerError(str(exc)) from exc


def default_files() -> list[Path]:
    return sorted(p for p in DATA_DIR.glob("*.yaml") if p != LEXICON_FILE)


def _read_files(files: list[Path], entities: dict[str, Entity]) -> tuple[set[str], set[str]]:
    """Add the entities of these files to `entities` (an entry with a known id and no
    `canonical` extends that entity), then check every `not:` of those names a known id.
    Returns the ids added and the ids extended."""
    added: set[str] = set()
    extended: set[str] = set()
    for path in files:
        data = read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
            raise GazetteerError(f"gazetteer file {path} must hold a mapping with an 'entities' list")
        try:
            reject_unknown_keys(data, GAZETTEER_FILE_KEYS, f"gazetteer file {path}")
        except UserFileError as exc:
            raise GazetteerError(str(exc)) from exc
        for i, raw in enumerate(data["entities"]):
            where = f"{path}: entities[{i}]"
            if not isinstance(raw, dict):
                raise GazetteerError(f"{where}: each entity must be a mapping")
            ent_id = str(raw.get("id") or "")
            if ent_id in entities and "canonical" not in raw:
                _extend(entities[ent_id], raw, where)
                extended.add(ent_id)
                continue
            if ent_id in entities:
                raise GazetteerError(f"{where}: duplicate id {ent_id!r} (first in {entities[ent_id].source})")
            entities[ent_id] = _entity(raw, where)
            added.add(ent_id)
    for ent in (entities[eid] for eid in added | extended):
        unknown = [other for other in ent.not_ if other not in entities]
        if unknown:
            raise GazetteerError(f"{ent.source}: 'not' names unknown id(s) {', '.join(unknown)}")
    return added, extended


def load_gazetteer(extra_paths: Iterable[Path | str] = (), *, world: bool = False) -> Gazetteer:
    """The hand-typed gazetteer (data/*.yaml plus `extra_paths`); with `world`, merged with the
    compiled world layer (places from GeoNames/CLDR/ISO data, people with generated variants;
    see normalise.names.build), which is built and cached on first use."""
    lexicon = read_yaml(LEXICON_FILE) or {}
    entities: dict[str, Entity] = {}
    files = [*default_files(), *(Path(p) for p in extra_paths)]
    _read_files(files, entities)
    if world:
        from normalise.names.build.compiled import load_world, merge_into

        hand = set(entities)
        merge_into(entities, load_world())
        return Gazetteer(entities=entities, lexicon=lexicon, files=[str(p) for p in files],
                         world_ids=set(entities) - hand)
    return Gazetteer(entities=entities, lexicon=lexicon, files=[str(p) for p in files])


def add_files(gazetteer: Gazetteer, paths: Iterable[Path | str]) -> list[Entity]:
    """Read more gazetteer files into `gazetteer` (user files, learned links); returns the
    entities they add or extend, which an index built before must (re)index."""
    files = [Path(p) for p in paths]
    # only the entities these files name are looked at: the rest may sit in the index's
    # compact store, which decodes an entity on each access
    added, extended = _read_files(files, gazetteer.entities)
    gazetteer.files.extend(str(p) for p in files)
    return [gazetteer.entities[eid] for eid in sorted(added | extended)]
