"""`python -m normalise build-gazetteer`: compile the world gazetteer layer and cache it.

    python -m normalise build-gazetteer [--min-population 15000] [--check] [--if-stale] [--show NAME ...]

Builds (offline, from the installed data packages and normalise/names/data/people, world/)
the cache file that `load_gazetteer(world=True)` loads, then the matcher's compiled index over
it (normalise.names.index_cache), and prints what they hold. `--if-stale` builds only what is
missing or out of date (the set-up script runs it, so a first crawl does not wait). `--check`
only validates the data files (fast: no place data is read). `--show` prints how names resolve
(entities, rank, generated variants). Exits 1 with the file and entry named when a data file
is wrong.
"""
from __future__ import annotations

import argparse
import sys
import time

from normalise.names.gazetteer import GazetteerError
from normalise.names.pickle_cache import building


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m normalise build-gazetteer", description=__doc__.split("\n\n")[0])
    p.add_argument("--min-population", type=int, default=15000, help="smallest city kept (default 15000)")
    p.add_argument("--check", action="store_true", help="validate the people and world data files only")
    p.add_argument("--if-stale", action="store_true",
                   help="build the default layer and index only when missing or out of date")
    p.add_argument("--show", nargs="*", default=[], metavar="NAME", help="print how these names resolve")
    args = p.parse_args(argv)
    from normalise.names.build import compiled, people

    try:
        if args.check:
            found = people.load_people()
            print(f"ok: {len(found)} people in {len(people.people_files())} files")
            return 0
        if args.if_stale:
            return _build_if_stale()
        t0 = time.perf_counter()
        path = compiled.cache_path(args.min_population)
        with building(path):  # a crawl or another build needing the same file waits for this one
            layer = compiled.build_world(args.min_population)
            compiled.write_cache(path, layer)
        built = f"built {path} in {time.perf_counter() - t0:.1f} s: "
        index_line = ""
        if args.min_population == compiled.DEFAULT_MIN_POPULATION:  # the matcher's index uses this layer
            from normalise.names.index_cache import index_path, load_index

            t1 = time.perf_counter()
            load_index(world=True, rebuild=True)  # under the index's build lock
            index_line = f"built the names index {index_path(True)} in {time.perf_counter() - t1:.1f} s"
    except GazetteerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    kinds: dict[str, int] = {}
    for ent in layer.entities.values():
        key = ent.kind or ent.type
        kinds[key] = kinds.get(key, 0) + 1
    print(built + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    print(f"{sum(len(e.variants) for e in layer.entities.values())} forms, {len(layer.ambiguous)} shared by "
          f"several entities, {len(layer.dropped)} dropped (common words, person forms that are places), "
          f"{len(layer.renames)} dated renames")
    if index_line:
        print(index_line)
    for name in args.show:
        ranked = layer.rank(name)
        print(f"{name}: " + ("; ".join(f"{e.id} {e.canonical} ({e.country}, pop {e.population})" for e in ranked[:5])
                             or "unknown"))
    return 0


def _build_if_stale() -> int:
    from normalise.names.index_cache import index_path, load_index

    path = index_path(world=True)
    if path.exists():
        print(f"up to date: {path}")
        return 0
    t0 = time.perf_counter()
    load_index(world=True)  # builds the world layer first when that is missing too
    print(f"built the names index {path} in {time.perf_counter() - t0:.1f} s")
    return 0
