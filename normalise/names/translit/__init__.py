"""Transliteration rules used to generate name variants (see normalise.names.build)."""
