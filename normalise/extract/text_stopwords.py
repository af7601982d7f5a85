"""Stop-word share of a line, in the language whose stop words the page uses most.

Article prose is full of function words ("the", "und", "которые"); menus, labels and link
lists are not. The stop lists are jusText's (about 100 languages, Wikipedia-derived), so no
list is written per outlet or per benchmark set.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import logging
import marshal
import os
import re
import sys
import zlib
from collections import Counter
from itertools import chain
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+")
_LINE_BREAK = re.compile("\r\n|\r|\n")
CACHE_STEM = "stop-words"
CACHE_FORMAT = 1
_MAGIC = b"stopwords-marshal-1\n"
_HEADER = len(_MAGIC) + 4  # magic, then the CRC-32 of the marshalled table
_log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def stoplist_files() -> list[Path]:
    """jusText's stop-list files, sorted by language name (a language's index is its place here)."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jusText's stop lists are not installed (package justext)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "stoplists"
    return sorted((p for p in folder.iterdir() if p.suffix == ".txt"), key=lambda p: p.stem)


@functools.lru_cache(maxsize=1)
def languages_by_word() -> dict[str, tuple[int, ...]]:
    """Stop word -> indices of the languages listing it (loaded once per process). The lists are
    jusText's files, read here directly: the same words as justext.get_stoplist (per line, lower
    case), without importing jusText. The first text page waits for this table, so it is kept in
    the cache directory (`CACHE_STEM`) and read from there in about a quarter of the time it takes
    to read the 100 lists; the file is keyed by the lists' names, sizes and modification times,
    and one that is missing, stale or damaged is written again from the lists."""
    files = stoplist_files()
    path = _cache_path(files)
    by_word = _load_cached(path) if path is not None else None
    if by_word is None:
        by_word = read_lists(files)
        if path is not None:
            _save(path, by_word)
    return by_word


def read_lists(files: list[Path]) -> dict[str, tuple[int, ...]]:
    """The table built from the stop-list files (a language's index is its place in `files`);
    equal index tuples are one object (the cache file then stores each once)."""
    by_word: dict[str, tuple[int, ...]] = {}
    for index, path in enumerate(files):
        lines = _LINE_BREAK.split(path.read_bytes().decode("utf8"))
        if lines[-1] == "":  # bytes.splitlines, as jusText splits: no empty line after the last break
            lines.pop()
        for word in {line.lower() for line in lines}:
            key = word.casefold()
            by_word[key] = by_word.get(key, ()) + (index,)
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    return {word: shared.setdefault(langs, langs) for word, langs in by_word.items()}


def _cache_path(files: list[Path]) -> Path | None:
    from normalise.names.build.compiled import cache_dir

    # marshal's format is the interpreter's: its version is part of the key
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version_info[:2]}:{marshal.version}".encode())
    try:
        for path in files:
            st = path.stat()
            digest.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    except OSError:
        return None
    return cache_dir() / f"{CACHE_STEM}-{digest.hexdigest()[:16]}.marshal"


def _load_cached(path: Path) -> dict[str, tuple[int, ...]] | None:
    """The table in `path`; None when there is no such file or it is damaged (logged)."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        if blob[:len(_MAGIC)] != _MAGIC or zlib.crc32(blob[_HEADER:]) != int.from_bytes(blob[len(_MAGIC):_HEADER], "big"):
            raise ValueError("wrong header or checksum")
        table = marshal.loads(blob[_HEADER:])
        if not isinstance(table, dict):
            raise ValueError("not a table")
    except (ValueError, EOFError, TypeError) as exc:
        _log.warning("stop-word cache %s is damaged (%s): reading the stop lists again", path, exc)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used: what pruning goes by
    return table


def _save(path: Path, by_word: dict[str, tuple[int, ...]]) -> None:
    from normalise.names.pickle_cache import write_atomically

    payload = marshal.dumps(by_word, 4)  # version 4 stores each shared tuple once
    try:
        write_atomically(path, lambda fh: fh.write(_MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload))
    except OSError as exc:  # a read-only cache directory: the next process reads the lists again
        _log.info("stop-word cache not written to %s (%s)", path, exc)


# Chinese and Japanese write no spaces, so no word list applies: their function characters stand in
# (particles, pronouns, conjunctions, aspect marks; simplified and traditional forms, and the kana
# particles), common in prose and rare in menus and labels.
_CJK_FUNCTION = frozenset(
    "的了是在和有也就都而与與及被把对對为為这這那其之以于於从從但将將并並或等个個们們他她它我你不没沒"
    "很还還又所因如要会會能可已着著过過地得吗嗎呢吧啊"
    "のにはをがでともたしてなるからへや"
)
_CJK_CHAR = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def cjk_function_share(text: str) -> float | None:
    """Share of a line's Chinese and Japanese characters that are function characters; None when
    fewer than half of its letters are such characters (the line is for the word lists)."""
    chars = _CJK_CHAR.findall(text)
    letters = sum(1 for c in text if c.isalpha())
    if not chars or len(chars) * 2 < letters:
        return None
    return sum(1 for c in chars if c in _CJK_FUNCTION) / len(chars)


def words_of(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def page_stop_language(lines: list[list[str]]) -> int | None:
    """Index of the language whose stop words cover most of the page's words (None: no stop word at all)."""
    counts = stop_counts(lines)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def stop_counts(lines: list[list[str]]) -> Counter:
    """Language index -> how many of the (casefolded) words are its stop words."""
    by_word = languages_by_word()
    # one Counter over all the stop words' languages (counted in C), not an update per word:
    # the same counts, first seen first (most_common's order among ties)
    return Counter(chain.from_iterable(langs for words in lines for word in words if (langs := by_word.get(word))))


@functools.lru_cache(maxsize=8)
def language_index(name: str) -> int:
    """The index of a jusText language by name ("English"), as `page_stop_language` returns it."""
    return [path.stem for path in stoplist_files()].index(name)


def is_stop_word(word: str, language: int | None) -> bool:
    """Whether `word` is a stop word of `language` (an index from `page_stop_language`)."""
    return language is not None and language in languages_by_word().get(word.casefold(), ())


def stop_share(words: list[str], language: int | None) -> float:
    """Share of the words that are stop words of `language` (0 for no words or no language)."""
    if not words or language is None:
        return 0.0
    by_word = languages_by_word()
    return sum(1 for w in words if language in by_word.get(w, ())) / len(words)
