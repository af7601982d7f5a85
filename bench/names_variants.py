"""How many of the name spellings printed by the press in other languages the generated variants
of the world gazetteer cover.

    python bench/names_variants.py [bench/data/press_spellings.yaml]

For each (person id, language, printed full name) the name counts as covered when the person's
canonical form or one of its full-name variants equals it exactly ("exact") or after folding case
and accents as the matcher does ("folded"); "composed" also accepts any known given-name form
followed by any known surname form (the matcher finds a surname, then the given name in front).
Prints the rates per language and the misses, then the generated variants themselves: people,
variants per person (median, max) and how many were dropped or flagged as colliding with a place,
a common word or another person, by native script; exits 1 if an id is unknown."""
from __future__ import annotations

import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from normalise.names.build.compiled import _fold, load_world

DEFAULT = Path(__file__).resolve().parent / "data" / "press_spellings.yaml"


_SCRIPTS = [("cyrillic", re.compile(r"[\u0400-\u04ff]")), ("greek", re.compile(r"[\u0370-\u03ff]")),
            ("hangul", re.compile(r"[\uac00-\ud7a3]")), ("han", re.compile(r"[\u4e00-\u9fff]")), ("arabic/hebrew", re.compile(r"[\u0590-\u06ff]"))]


def _script(ent) -> str:
    if ent.country == "JP":
        return "japanese"
    text = " ".join(ent.native)
    return next((name for name, pattern in _SCRIPTS if pattern.search(text)), "other or none")


def variant_table(layer) -> None:
    """Generated variants per person, and the collisions the build found, by native script."""
    people = [e for e in layer.entities.values() if e.type == "person"]
    dropped: dict[str, Counter] = defaultdict(Counter)
    for _form, ent_id, why in layer.dropped:
        ent = layer.entities.get(ent_id)
        if ent is not None and ent.type == "person":
            dropped[ent_id][why.split(":")[0]] += 1
    person_clashes: Counter = Counter()  # forms a person shares with another person
    for ids in layer.ambiguous.values():
        persons = [i for i in ids if layer.entities[i].type == "person"]
        if len(persons) > 1:
            person_clashes.update(persons)
    by_script: dict[str, list] = defaultdict(list)
    for ent in people:
        by_script[_script(ent)].append(ent)
    places = [e for e in layer.entities.values() if e.type == "place" and e.generated]
    print(f"\nplaces with generated forms (through Russian, Wade-Giles): {len(places)}, "
          f"forms: {sum(len(e.generated) for e in places)}")
    print("\n| native script | people | generated variants | per person (median, max) | dropped: place | "
          "dropped: common word | dropped: short | dropped: a given name | forms shared with another person (flagged) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for script, ents in [*sorted(by_script.items()), ("all", people)]:
        counts = [len(e.generated) for e in ents]
        why = Counter()
        for e in ents:
            why.update(dropped.get(e.id, Counter()))
        shared = sum(person_clashes[e.id] for e in ents)
        print(f"| {script} | {len(ents)} | {sum(counts)} | {statistics.median(counts):.0f}, {max(counts)} | "
              f"{why['also a place']} | {why['common English word']} | "
              f"{sum(n for k, n in why.items() if k.startswith('generated surname'))} | {why['a given name']} | {shared} |")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT
    spellings = yaml.safe_load(path.read_text(encoding="utf-8"))["spellings"]
    layer = load_world()
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # total, exact, folded, composed
    misses = []
    for person_id, lang, printed in spellings:
        ent = layer.entities.get(person_id)
        if ent is None:
            print(f"unknown id {person_id!r} in {path}", file=sys.stderr)
            return 1
        forms = {ent.canonical, *ent.variants}
        folded = {_fold(f) for f in forms}
        given_forms = {_fold(g) for g in ent.given}
        surname_forms = {_fold(ent.surname or ent.canonical)} | {f for f in folded if " " not in f}
        composed = folded | {f"{g} {s}" for g in given_forms for s in surname_forms}
        row = per_lang[lang]
        row[0] += 1
        row[1] += printed in forms
        row[2] += _fold(printed) in folded
        row[3] += _fold(printed) in composed
        if _fold(printed) not in composed:
            misses.append(f"{lang}: {printed} ({person_id})")
    total = [sum(r[i] for r in per_lang.values()) for i in range(4)]
    for lang, row in [*sorted(per_lang.items()), ("all", total)]:
        n = row[0]
        print(f"{lang:8} {n:3}  " + "  ".join(f"{name} {k:3} ({k / n:.0%})"
                                            for name, k in zip(("exact", "folded", "composed"), row[1:], strict=False)))
    for miss in misses:
        print("miss", miss)
    variant_table(layer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
