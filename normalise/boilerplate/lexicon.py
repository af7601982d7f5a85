"""Boilerplate lexicons: YAML phrase lists per language, compiled once into fast matchers.

`Lexicon.load(extra_paths)` reads every file in normalise/boilerplate/lexicons/ plus the user's
files; `Lexicon.match(text)` returns the reason codes whose rules match one block, each with
what matched. Phrases are compiled into trie-shaped regular expressions, so a page with
hundreds of blocks costs a few regex scans per block, whatever the number of phrases.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from normalise.safe_regex import UnsafePatternError, check_pattern
from normalise.safe_yaml import UserFileError, load_user_yaml, reject_unknown_keys

LEXICON_DIR = Path(__file__).with_name("lexicons")
RULE_TYPES = ("lines", "prefixes", "terms", "patterns")
_FILE_KEYS = ("language", "settings", "caption_patterns", "rules")
_EDGE = " \t\r\n:.,;!?·•|/\\-–—×*»«\"'“”‘’„()[]{}<>…"
_LONG_BLOCK = 300  # characters: prose this long needs one more distinct term to count as boilerplate
# Answers remembered per lexicon: site chrome (menus, footers, share bars) repeats within a page
# and on every page of a site, so most blocks of a crawl have been matched before.
MEMO_TEXTS = 50_000
_DIGIT = re.compile(r"\d")


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and the problem."""


def normalise_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def line_key(text: str) -> str:
    return normalise_key(text).strip(_EDGE)


@dataclass
class ReasonSettings:
    max_chars: int = 400
    min_terms: int = 2
    tail_only: bool = False
    ends_article: bool | str = False  # True, False or "lines" (only whole-line matches end the article)
    code: str | None = None  # reason code recorded, when it differs from the rule group's name


_SETTING_KEYS = ("max_chars", "min_terms", "tail_only", "ends_article", "code")


@dataclass
class Match:
    reason: str
    rule: str  # lines | prefixes | terms | patterns
    detail: str  # the phrase(s) or pattern that matched


@dataclass
class Lexicon:
    settings: dict[str, ReasonSettings]
    lines: dict[str, str]  # line key -> reason
    prefixes: dict[str, str]  # prefix key -> reason
    terms: dict[str, list[str]]  # term key -> reasons, in file order (the first found wins)
    patterns: list[tuple[str, re.Pattern]]
    caption_patterns: list[re.Pattern]
    files: list[str] = field(default_factory=list)
    _prefix_re: re.Pattern | None = None
    _term_res: tuple = ()
    # All patterns in two regexes (most blocks match none): those anchored at the start of the
    # block, tried there only, and the others, searched through it.
    _any_anchored: re.Pattern | None = None
    _any_floating: re.Pattern | None = None
    _pattern_limits: tuple = ()  # (reason, bound match or search method, pattern, longest block it may remove)
    # The same for the patterns that can match a text without digits (`needs_digit` is False)
    _digitless_anchored: re.Pattern | None = None
    _digitless_floating: re.Pattern | None = None
    _digitless_limits: tuple = ()
    _memo: dict = field(default_factory=dict, repr=False)  # text -> its matches (a tuple)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- loading ----------------------------------------------------------------------------
    @classmethod
    def load(cls, extra_paths=()) -> Lexicon:
        return _load_cached(tuple(str(p) for p in extra_paths))

    @classmethod
    def from_files(cls, paths: list[Path], user_paths: list[Path] | tuple = ()) -> Lexicon:
        """The bundled `paths`, then the user's `user_paths` (their patterns must pass the backtracking guard)."""
        lex = cls(settings={}, lines={}, prefixes={}, terms={}, patterns=[], caption_patterns=[])
        for path in paths:
            lex._add_file(Path(path))
        for path in user_paths:
            lex._add_file(Path(path), user=True)
        lex._compile()
        return lex

    def _add_file(self, path: Path, user: bool = False) -> None:
        try:
            data = load_user_yaml(path, "lexicon file")
            if not isinstance(data, dict) or not isinstance(data.get("rules", {}), dict):
                raise LexiconError(f"lexicon file {path} must be a mapping with a 'rules' mapping")
            reject_unknown_keys(data, _FILE_KEYS, f"lexicon file {path}")
            settings = data.get("settings") or {}
            if not isinstance(settings, dict):
                raise LexiconError(f"lexicon file {path}: 'settings' must be a mapping of rule group to settings")
            for reason, values in settings.items():
                if not isinstance(values, dict):
                    raise LexiconError(f"lexicon file {path}: settings for {reason!r} must be a mapping")
                reject_unknown_keys(values, _SETTING_KEYS, f"lexicon file {path}: settings for {reason!r}")
        except UserFileError as exc:
            raise LexiconError(str(exc)) from exc
        self.files.append(str(path))
        for reason, values in settings.items():
            self.settings[reason] = ReasonSettings(**values)
        for pattern in data.get("caption_patterns") or []:
            self.caption_patterns.append(_compile(pattern, path, user))
        for reason, rules in (data.get("rules") or {}).items():
            if not isinstance(rules, dict) or set(rules) - set(RULE_TYPES):
                raise LexiconError(f"{path}: rules for {reason!r} must use only {', '.join(RULE_TYPES)}")
            self.settings.setdefault(reason, ReasonSettings())
            for phrase in rules.get("lines") or []:
                self.lines.setdefault(line_key(str(phrase)), reason)
            for phrase in rules.get("prefixes") or []:
                self.prefixes.setdefault(normalise_key(str(phrase)), reason)
            for phrase in rules.get("terms") or []:
                reasons = self.terms.setdefault(normalise_key(str(phrase)), [])
                if reason not in reasons:
                    reasons.append(reason)
            for pattern in rules.get("patterns") or []:
                self.patterns.append((reason, _compile(pattern, path, user)))

    def _compile(self) -> None:
        self._prefix_re = re.compile("^(?:" + _trie_pattern(list(self.prefixes)) + ")") if self.prefixes else None
        bounded = [t for t in self.terms if not _is_cjk(t[0]) and not _is_cjk(t[-1])]
        unbounded = [t for t in self.terms if t not in set(bounded)]
        res = []
        if bounded:
            res.append(re.compile(r"(?<!\w)(?:" + _trie_pattern(bounded) + r")(?!\w)"))
        if unbounded:
            res.append(re.compile("(?:" + _trie_pattern(unbounded) + ")"))
        self._term_res = tuple(res)
        anchored = [_anchored(rx) for _, rx in self.patterns]
        # An anchored pattern (no MULTILINE: keys are one line) can only match at the start, so
        # `match` gives the same answer as `search` without trying every other position.
        self._pattern_limits = tuple((reason, rx.match if anchored_ else rx.search, rx.pattern,
                                      max(self.settings[reason].max_chars, 60))
                                     for (reason, rx), anchored_ in zip(self.patterns, anchored, strict=False))
        self._any_anchored = _joined([rx for (_, rx), a in zip(self.patterns, anchored, strict=False) if a])
        self._any_floating = _joined([rx for (_, rx), a in zip(self.patterns, anchored, strict=False) if not a])
        # Most keys hold no digit, and most patterns (dates, times, "5 minutes ago") need one:
        # such keys are tried against the other patterns only (same answers, fewer steps).
        digitless = [(rx, a) for (_, rx), a in zip(self.patterns, anchored, strict=False) if not needs_digit(rx)]
        self._digitless_anchored = _joined([rx for rx, a in digitless if a])
        self._digitless_floating = _joined([rx for rx, a in digitless if not a])
        self._digitless_limits = tuple(limits for limits, (_, rx) in zip(self._pattern_limits, self.patterns, strict=False)
                                       if not needs_digit(rx))

    # -- matching ---------------------------------------------------------------------------
    def match(self, text: str) -> list[Match]:
        """Every reason whose rules match this block (usually zero or one)."""
        found = self._memo.get(text)
        if found is None:
            found = tuple(self._match(text))
            with self._memo_lock:
                if len(self._memo) >= MEMO_TEXTS:  # drop the oldest half
                    for key in list(self._memo)[: len(self._memo) // 2]:
                        del self._memo[key]
                self._memo[text] = found
        return list(found)

    def _match(self, text: str) -> list[Match]:
        key = normalise_key(text)
        found: list[Match] = []
        stripped = key.strip(_EDGE)
        reason = self.lines.get(stripped)
        if reason:
            found.append(Match(reason, "lines", stripped))
        length = len(key)
        if self._prefix_re is not None:
            m = self._prefix_re.match(key)
            if m:
                prefix = m.group(0)
                end = m.end()
                bounded = end == length or not (prefix[-1].isalnum() and key[end].isalnum())
                reason = self.prefixes.get(prefix)
                if bounded and reason and length <= self.settings[reason].max_chars:
                    found.append(Match(reason, "prefixes", prefix))
        if self._term_res and length <= 2000:
            hits: dict[str, set[str]] = {}
            covered: dict[str, int] = {}
            for rx in self._term_res:
                for term in rx.findall(key):
                    for reason in self.terms.get(term, ()):
                        hits.setdefault(reason, set()).add(term)
                        covered[reason] = covered.get(reason, 0) + len(term)
            if hits:
                letters = max(1, len(key.replace(" ", "")))
                for reason, terms in hits.items():
                    settings = self.settings[reason]
                    if length > settings.max_chars:
                        continue
                    needed = settings.min_terms + (1 if length > _LONG_BLOCK else 0)
                    coverage = covered[reason] / letters
                    if len(terms) >= needed or (coverage >= 0.6 and length <= 60):
                        found.append(Match(reason, "terms", ", ".join(sorted(terms))))
        if length <= 400 and self._pattern_limits:
            digits = _DIGIT.search(key) is not None
            if self._any_pattern_hit(key, digits):
                for reason, test, pattern, limit in self._pattern_limits if digits else self._digitless_limits:
                    if length <= limit and test(key):
                        found.append(Match(reason, "patterns", pattern))
        return found

    def _any_pattern_hit(self, key: str, digits: bool = True) -> bool:
        """Whether any pattern may match; without `digits`, only those that need no digit are tried."""
        anchored, floating = ((self._any_anchored, self._any_floating) if digits
                              else (self._digitless_anchored, self._digitless_floating))
        return bool((anchored is not None and anchored.match(key)) or (floating is not None and floating.search(key)))

    def code(self, reason: str) -> str:
        """The reason code recorded on a block for a rule group."""
        return self.settings[reason].code or reason

    def is_caption(self, text: str) -> bool:
        return any(rx.search(text) for rx in self.caption_patterns)


@lru_cache(maxsize=16)
def _load_cached(extra: tuple[str, ...]) -> Lexicon:
    builtin = sorted(LEXICON_DIR.glob("*.yaml"), key=lambda p: (p.name != "common.yaml", p.name))
    return Lexicon.from_files(builtin, [Path(p) for p in extra])


def _compile(pattern: str, path: Path, user: bool = False) -> re.Pattern:
    try:
        if user:  # blocks come from any web page: a backtracking user pattern would stall the crawl
            check_pattern(str(pattern), re.IGNORECASE)
        return re.compile(str(pattern), re.IGNORECASE)
    except (re.error, UnsafePatternError) as exc:
        raise LexiconError(f"{path}: bad pattern {pattern!r}: {exc}") from exc


def _anchored(rx: re.Pattern) -> bool:
    """Whether the pattern can only match at the start of the text (it begins with ^, outside
    any alternation, and is not MULTILINE)."""
    if rx.flags & re.MULTILINE:
        return False
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse
    try:
        items = sre_parse.parse(rx.pattern, rx.flags).data
    except Exception:  # an internal parser change: assume nothing
        return False
    while items:
        op, av = items[0]
        if op is sre_parse.SUBPATTERN:  # a group, or a scoped-flags group (?-i:...) that adds no MULTILINE
            add_flags = av[1]
            if add_flags & re.MULTILINE:
                return False
            items = av[3].data if hasattr(av[3], "data") else list(av[3])
            continue
        return op is sre_parse.AT and av in (sre_parse.AT_BEGINNING, sre_parse.AT_BEGINNING_STRING)
    return False


def needs_digit(rx: re.Pattern) -> bool:
    """Whether every match of the pattern contains a digit (a `\\d` character): some item of its
    top-level sequence, met at least once, can only match digits. False when unsure."""
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse
    try:
        items = sre_parse.parse(rx.pattern, rx.flags)
    except Exception:  # an internal parser change: assume nothing
        return False
    return _sequence_needs_digit(items, sre_parse)


def _sequence_needs_digit(items, sre_parse) -> bool:
    return any(_item_needs_digit(op, av, sre_parse) for op, av in items)


def _item_needs_digit(op, av, sre_parse) -> bool:
    if op is sre_parse.LITERAL:
        return _DIGIT.match(chr(av)) is not None
    if op is sre_parse.IN:  # a class whose every member is a digit (\d, [0-9], [1-3])
        return bool(av) and all(_class_item_is_digit(o, a, sre_parse) for o, a in av)
    if op is sre_parse.SUBPATTERN:
        return _sequence_needs_digit(av[3], sre_parse)
    if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)):
        return av[0] >= 1 and _sequence_needs_digit(av[2], sre_parse)
    if op is sre_parse.BRANCH:
        return all(_sequence_needs_digit(branch, sre_parse) for branch in av[1])
    return False


def _class_item_is_digit(op, av, sre_parse) -> bool:
    if op is sre_parse.CATEGORY:
        return av is sre_parse.CATEGORY_DIGIT
    if op is sre_parse.LITERAL:
        return _DIGIT.match(chr(av)) is not None
    if op is sre_parse.RANGE:
        return all(_DIGIT.match(chr(c)) for c in range(av[0], av[1] + 1))
    return False


def _joined(patterns: list[re.Pattern]) -> re.Pattern | None:
    """One regex matching where any of these matches; None if there are none. Patterns that
    cannot be joined (global inline flags) give the empty regex: every block is tried one by one."""
    if not patterns:
        return None
    try:
        return re.compile("|".join(f"(?:{rx.pattern})" for rx in patterns), re.IGNORECASE)
    except re.error:
        return re.compile("")


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff"


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation shaped as a trie, longest alternatives first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)
