"""User-supplied regular expressions (seeds' article URL patterns, lexicon patterns): refuse those
that can backtrack catastrophically.

Two guards: at load time the pattern's parse tree is checked (no nested unbounded
quantifiers, no quantified alternation, no backreferences, bounded length); at match time
the `regex` module's timeout bounds any remaining polynomial blow-up, and URLs are capped.
"""
from __future__ import annotations

import re
import re._constants as sre_c  # stable in CPython 3.11+; used only to inspect, never to match
import re._parser as sre_parse
from typing import Any

try:  # `regex` comes with trafilatura (via dateparser); it adds a match timeout
    import regex as _regex
except ImportError:  # pragma: no cover - fall back to the stdlib engine with the static guard only
    _regex = None

MAX_PATTERN_LENGTH = 512
MAX_URL_LENGTH = 4096
MATCH_TIMEOUT_SECONDS = 0.05

_REPEATS = {sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)} - {None}


class UnsafePatternError(ValueError):
    """The pattern is invalid or could backtrack catastrophically."""


def _subpatterns(op, av):
    """Child parse trees of one parse-tree node."""
    if op in _REPEATS:
        yield av[2]
    elif op == sre_c.SUBPATTERN:
        yield av[-1]
    elif op == sre_c.BRANCH:
        yield from av[1]
    elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
        yield av[1]
    elif op == sre_c.GROUPREF_EXISTS:
        yield from (p for p in av[1:] if p is not None)


def _check(tree, inside_repeat: bool) -> None:
    """Reject an unbounded quantifier inside any repeated group, and repeated alternations."""
    for op, av in tree:
        if op in (sre_c.GROUPREF, sre_c.GROUPREF_EXISTS):
            raise UnsafePatternError("backreferences are not allowed")
        if op in _REPEATS:
            unbounded = av[1] == sre_c.MAXREPEAT or av[1] > 100
            if unbounded and inside_repeat:
                raise UnsafePatternError(
                    "nested quantifiers (e.g. (a+)+ or (/[a-z]+)+) can backtrack catastrophically; "
                    "use one character class instead, e.g. [a-z/]+")
            if av[1] > 1 and any(o == sre_c.BRANCH for o, _ in _flatten(av[2])):
                raise UnsafePatternError("a repeated alternation (e.g. (a|ab)*) can backtrack catastrophically")
            _check(av[2], inside_repeat or av[1] > 1)
            continue
        for child in _subpatterns(op, av):
            _check(child, inside_repeat)


def _flatten(tree):
    for op, av in tree:
        yield op, av
        if op in _REPEATS:
            continue  # nested repeats are reported by _check itself
        for child in _subpatterns(op, av):
            yield from _flatten(child)


def check_pattern(pattern: str, flags: int = 0) -> None:
    """UnsafePatternError if `pattern` is invalid, too long, or could backtrack catastrophically."""
    if not isinstance(pattern, str) or not pattern:
        raise UnsafePatternError("a pattern must be a non-empty string")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePatternError(f"pattern is longer than {MAX_PATTERN_LENGTH} characters")
    try:
        tree = sre_parse.parse(pattern, flags)
    except re.error as exc:
        raise UnsafePatternError(f"not a valid regular expression: {exc}") from exc
    _check(tree, False)


class SafePattern:
    """A compiled, checked article URL pattern; `search` never hangs."""

    def __init__(self, pattern: str):
        check_pattern(pattern)
        self.pattern = pattern
        self._compiled: Any = _regex.compile(pattern) if _regex else re.compile(pattern)

    def search(self, url: str) -> bool:
        if len(url) > MAX_URL_LENGTH:
            return False
        if _regex is None:
            return self._compiled.search(url) is not None
        try:
            # concurrent=False: keep the GIL. By default `regex` releases it while matching, and taking
            # it back from a busy thread (the store thread) cost the reactor up to 5 ms per URL.
            return self._compiled.search(url, timeout=MATCH_TIMEOUT_SECONDS, concurrent=False) is not None
        except TimeoutError:
            return False

    def __repr__(self) -> str:
        return f"SafePattern({self.pattern!r})"
