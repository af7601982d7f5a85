"""The batch CLI's PATH arguments as the inputs to read: a folder stands for its files.

A folder is walked in name order, hidden entries left out. What in it cannot be read as a page (a
sub-folder that cannot be listed, a broken link, a FIFO or device, a link back into a folder
being walked) becomes a failed Record in its place, never a silent gap.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from normalise.record import Record


def shown(path: str) -> str:
    """`path` as valid Unicode for ids and messages: bytes of a file name that are not UTF-8
    (kept by Python as lone surrogates, which no UTF-8 output can hold) become \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def expand_paths(paths: list[str]) -> Iterator[str | Record]:
    """Paths as given ('-' is stdin, the default); a folder's files in its place."""
    for path in paths or ["-"]:
        if path != "-" and os.path.isdir(path):
            yield from _folder_files(Path(path), frozenset())
        else:
            yield path


def _folder_files(folder: Path, walking: frozenset[tuple[int, int]]) -> Iterator[str | Record]:
    try:
        identity = _identity(folder)
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield _unreadable(str(folder), f"cannot list the folder: {exc.strerror or exc}")
        return
    if identity in walking:  # a link back to a folder above it: following it would never end
        yield _unreadable(str(folder), "is a link back into a folder already being read; not followed")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if _is(entry.is_dir):
            yield from _folder_files(path, walking | {identity})
        elif _is(entry.is_file):
            yield str(path)
        else:
            yield _unreadable(str(path), f"is not a regular file ({_kind(path)})")


def _identity(folder: Path) -> tuple[int, int]:
    st = folder.stat()
    return st.st_dev, st.st_ino


def _is(test) -> bool:
    try:
        return bool(test())
    except OSError:  # cannot even be looked at: reported as not a regular file
        return False


def _kind(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return "a link to nothing"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be looked at: {exc.strerror or exc}"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device or other special file"


def _unreadable(path: str, why: str) -> Record:
    name = shown(path)
    return Record.failed(name, "unreadable_input", f"{name} {why}")
