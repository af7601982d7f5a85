"""Load a user-supplied YAML file (lexicon, gazetteer) without letting it crash or exhaust the process.

PyYAML's safe loader refuses code-running tags but still (a) expands aliases without limit, so a
few hundred bytes of nested anchors grow to gigabytes ("billion laughs"), and (b) builds nested
collections recursively, so tens of thousands of levels end in RecursionError or, with libyaml's
C composer, a segfault. This module first walks the file's event stream (libyaml's parser is
iterative: depth costs it nothing) and refuses it, before anything is built, when it nests deeper
than MAX_DEPTH or would expand to more than MAX_NODES nodes. Every problem is a `UserFileError`
whose message is one line naming the file.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml reads the same documents ~10x faster than the pure-Python parser
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64  # the bundled files nest 5 levels at most
MAX_NODES = 2_000_000  # after alias expansion; the bundled gazetteer is ~60k nodes


class UserFileError(ValueError):
    """A user file that cannot be used; the message is one line naming the file."""


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def check_events(text: str, where: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> None:
    """Walk the YAML event stream of `text`; raise UserFileError if it is too deep or expands too far."""
    depth = 0
    expanded = 0
    anchor_sizes: dict[str, int] = {}
    open_anchors: list[tuple[str | None, int]] = []  # (anchor of each open collection, `expanded` at its start)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                expanded += anchor_sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                expanded += 1
                if event.anchor:
                    anchor_sizes[event.anchor] = 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > max_depth:
                    line = event.start_mark.line + 1 if event.start_mark else "?"
                    raise UserFileError(f"{where}: nested deeper than {max_depth} levels (line {line})")
                open_anchors.append((event.anchor, expanded))
                expanded += 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                anchor, started = open_anchors.pop()
                if anchor:
                    anchor_sizes[anchor] = expanded - started
            if expanded > max_nodes:
                raise UserFileError(f"{where}: expands to more than {max_nodes} values "
                                    "(aliases nested inside aliases); refused")
    except yaml.YAMLError as exc:
        raise UserFileError(f"{where}: not valid YAML: {_one_line(exc)}") from exc


def load_user_yaml(path: Path | str, what: str = "file", *, max_bytes: int = MAX_BYTES) -> Any:
    """The parsed content of a user YAML file, or UserFileError (one line, naming `what` and the path)."""
    path = Path(path)
    where = f"{what} {path}"
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UserFileError(f"{where}: {size} bytes is over the {max_bytes}-byte limit; refused unread")
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UserFileError(f"{where}: not found") from exc
    except OSError as exc:
        raise UserFileError(f"{where}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserFileError(f"{where}: not UTF-8 text (byte {exc.start})") from exc
    check_events(text, where)
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise UserFileError(f"{where}: not valid YAML: {_one_line(exc)}") from exc
    except RecursionError as exc:  # below MAX_DEPTH this cannot happen; kept as a clear error regardless
        raise UserFileError(f"{where}: nested too deeply") from exc


def reject_unknown_keys(mapping: dict, allowed: Iterable[str], where: str) -> None:
    """UserFileError naming the first unknown key of `mapping` and the keys that are allowed."""
    allowed = tuple(allowed)
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        raise UserFileError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                            f"allowed: {', '.join(allowed)}")
