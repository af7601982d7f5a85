"""Compile the world layer of the gazetteer (places from packaged GeoNames / CLDR / ISO data,
people from normalise/names/data/people/*.yaml with generated variants) into one cached file.

`load_world()` returns the compiled entities, building them on first use (offline, from the
installed packages) and caching the result on disk; `python -m normalise build-gazetteer`
builds it explicitly and prints a summary."""
from normalise.names.build.compiled import WorldLayer, build_world, cache_path, load_world

__all__ = ["WorldLayer", "build_world", "cache_path", "load_world"]
