"""Pending name proposals (from `normalise.names.learn`) and the reviewer's decisions.

Accepting writes the variant into the user's gazetteer file (an entry with the known entity
id and no `canonical` extends that entity, see normalise/names/gazetteer.py); rejecting
records the pair in a sibling file `<gazetteer>.rejected.yaml` so it is not proposed again.
Both files are replaced atomically, and the gazetteer is validated before it is replaced.
"""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml

from crawler.web.config import WebConfig
from crawler.web.db import ReadDB
from crawler.web.queries import english_texts
from normalise.names.gazetteer import GazetteerError, load_gazetteer
from normalise.names.learn import Proposal, propose

_WRITE_LOCK = threading.Lock()


class ProposalError(ValueError):
    """A decision that cannot be applied (unknown entity, unreadable or invalid gazetteer file)."""


def rejected_file(gazetteer_file: Path) -> Path:
    return gazetteer_file.with_name(gazetteer_file.stem + ".rejected.yaml")


def _load(path: Path, key: str) -> dict[str, Any]:
    if not path.is_file():
        return {key: []}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProposalError(f"cannot read {path}: {exc}") from exc
    if data is None:
        return {key: []}
    if not isinstance(data, dict) or not isinstance(data.get(key, []), list):
        raise ProposalError(f"{path} must hold a mapping with a '{key}' list")
    data.setdefault(key, [])
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False)
        if path.suffix in (".yaml", ".yml") and "entities" in data:
            load_gazetteer([Path(tmp)])  # refuse to replace the user's file with one the normaliser rejects
        os.replace(tmp, path)
    except GazetteerError as exc:
        raise ProposalError(f"the gazetteer would become invalid: {exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _rejected(config: WebConfig) -> set[tuple[str, str]]:
    data = _load(rejected_file(config.gazetteer_file), "rejected")
    return {(str(r.get("id")), str(r.get("variant"))) for r in data["rejected"] if isinstance(r, dict)}


def pending(db: ReadDB, config: WebConfig) -> list[Proposal]:
    """Proposals from the newest records, minus the rejected ones (accepted ones are known
    variants now, so the learner no longer proposes them)."""
    index = config.names_index()
    found = propose(index, english_texts(db, config.proposal_records))
    rejected = _rejected(config)
    return [p for p in found if (p.entity_id, p.variant) not in rejected]


def accept(config: WebConfig, entity_id: str, variant: str) -> None:
    variant = variant.strip()
    if not variant:
        raise ProposalError("empty variant")
    if entity_id not in config.names_index().gazetteer.entities:
        raise ProposalError(f"unknown entity id {entity_id!r}")
    with _WRITE_LOCK:
        data = _load(config.gazetteer_file, "entities")
        entry = next((e for e in data["entities"] if isinstance(e, dict) and e.get("id") == entity_id
                      and "canonical" not in e), None)
        if entry is None:
            entry = {"id": entity_id, "variants": []}
            data["entities"].append(entry)
        variants = entry.setdefault("variants", [])
        if variant not in variants:
            variants.append(variant)
        _write(config.gazetteer_file, data)


def reject(config: WebConfig, entity_id: str, variant: str) -> None:
    with _WRITE_LOCK:
        path = rejected_file(config.gazetteer_file)
        data = _load(path, "rejected")
        pair = {"id": entity_id, "variant": variant.strip()}
        if pair not in data["rejected"]:
            data["rejected"].append(pair)
        _write(path, data)
