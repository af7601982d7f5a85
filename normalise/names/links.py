"""The links file: learned name links with their evidence, kept across learn-names runs.

One YAML file holds every link (`links:`, with status, confidence and evidence) and, derived
from them, the gazetteer entries that apply (`entities:`), so the same file can be listed in
`gazetteer_paths` (or given as `--gazetteer`) and the names stage uses the links:

    auto_apply: true        # false: only links a reviewer marked `accepted` apply
    min_confidence: 0.8     # links at or above this apply automatically (if auto_apply)
    links:
      - {entity_id: vladimir-medinsky, variant: Mentinsky, status: proposed, confidence: 0.86,
         evidence: {records: [...], mentions: 3, similarity: 0.82, ...}}
    entities:               # written by learn-names from `links`; do not edit
      - {id: vladimir-medinsky, variants: [Mentinsky]}

A reviewer sets `status: accepted` or `status: rejected` on a link; later runs keep that
status and add new evidence. A rejected link never applies.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from normalise.names.learn import Proposal, confidence

STATUSES = ("proposed", "accepted", "rejected")
DEFAULT_MIN_CONFIDENCE = 0.75  # measured: bench/names.py, learn-names section (docs/names.md)
MAX_RECORD_IDS = 50  # record ids kept as evidence per link (the count keeps growing)


class LinksError(ValueError):
    """A links file that cannot be used; the message names the file and the problem."""


@dataclass
class Link:
    entity_id: str
    canonical: str
    variant: str
    status: str = "proposed"
    given: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def confidence(self) -> float:
        ev = self.evidence
        return confidence(float(ev.get("similarity", 0.0)), bool(ev.get("key_match")), int(ev.get("records_seen", 0)),
                          len(ev.get("roles", [])), len(ev.get("entities", [])), bool(ev.get("full")))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"entity_id": self.entity_id, "canonical": self.canonical, "variant": self.variant,
                               "status": self.status, "confidence": self.confidence}
        if self.given:
            out["given"] = self.given
        out["evidence"] = self.evidence
        return out


@dataclass
class LinkStore:
    path: Path
    links: dict[tuple[str, str], Link] = field(default_factory=dict)
    auto_apply: bool = True
    min_confidence: float = DEFAULT_MIN_CONFIDENCE

    @classmethod
    def load(cls, path: Path | str) -> LinkStore:
        path = Path(path)
        store = cls(path)
        if not path.exists():
            return store
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise LinksError(f"links file {path} cannot be read: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("links", []), list):
            raise LinksError(f"links file {path} must be a mapping with a 'links' list")
        store.auto_apply = bool(data.get("auto_apply", True))
        try:
            store.min_confidence = float(data.get("min_confidence", DEFAULT_MIN_CONFIDENCE))
        except (TypeError, ValueError) as exc:
            raise LinksError(f"links file {path}: min_confidence must be a number") from exc
        for i, raw in enumerate(data.get("links") or []):
            if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("entity_id", "variant")):
                raise LinksError(f"links file {path}: links[{i}] needs entity_id and variant")
            status = raw.get("status", "proposed")
            if status not in STATUSES:
                raise LinksError(f"links file {path}: links[{i}] status {status!r} is not one of {', '.join(STATUSES)}")
            link = Link(raw["entity_id"], str(raw.get("canonical", "")), raw["variant"], status,
                        [str(g) for g in raw.get("given") or []], dict(raw.get("evidence") or {}))
            store.links[(link.entity_id, link.variant)] = link
        return store

    def merge(self, proposals: list[Proposal]) -> int:
        """Add this run's evidence; returns how many links are new. A record already counted
        in an earlier run is not counted twice."""
        new = 0
        for p in proposals:
            key = (p.entity_id, p.variant)
            link = self.links.get(key)
            if link is None:
                link = self.links[key] = Link(p.entity_id, p.canonical, p.variant)
                new += 1
            ev = link.evidence
            seen = set(ev.get("records", []))
            fresh = p.records - seen
            ev["records_seen"] = int(ev.get("records_seen", len(seen))) + len(fresh)
            ev["records"] = sorted(seen | fresh)[:MAX_RECORD_IDS]
            ev["mentions"] = int(ev.get("mentions", 0)) + (p.count if fresh else 0)
            ev["similarity"] = max(float(ev.get("similarity", 0.0)), p.similarity)
            ev["key_match"] = bool(ev.get("key_match")) or p.key_match
            for name, values in (("roles", p.roles), ("entities", p.entities), ("countries", p.countries),
                                 ("full", p.full)):
                ev[name] = sorted(set(ev.get(name, [])) | values)
            ev["snippets"] = (list(ev.get("snippets", [])) + [s for s in p.snippets if s not in ev.get("snippets", [])])[:3]
            link.given = sorted(set(link.given) | p.given)
        return new

    def applies(self, link: Link) -> bool:
        if link.status == "rejected":
            return False
        return link.status == "accepted" or (self.auto_apply and link.confidence >= self.min_confidence)

    def entities(self) -> list[dict[str, Any]]:
        """Gazetteer entries (extensions of known ids) for the links that apply."""
        by_id: dict[str, dict[str, Any]] = {}
        for link in sorted(self.links.values(), key=lambda lk: (lk.entity_id, lk.variant)):
            if not self.applies(link):
                continue
            entry = by_id.setdefault(link.entity_id, {"id": link.entity_id, "variants": []})
            entry["variants"].append(link.variant)
            if link.given:
                entry.setdefault("given", []).extend(g for g in link.given if g not in entry.get("given", []))
        return list(by_id.values())

    def save(self) -> None:
        links = sorted(self.links.values(), key=lambda lk: (-lk.confidence, lk.entity_id, lk.variant))
        data = {"auto_apply": self.auto_apply, "min_confidence": self.min_confidence,
                "links": [lk.to_dict() for lk in links], "entities": self.entities()}
        header = ("# learn-names links: review `status` (proposed | accepted | rejected); `entities` is\n"
                  "# derived from the links that apply and is rewritten on every run.\n")
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120),
                       encoding="utf-8")
        tmp.replace(self.path)

    def review_lines(self) -> list[str]:
        lines = [f"{'conf':>5}  {'status':<9} {'applies':<7} variant -> canonical (entity id): evidence"]
        for lk in sorted(self.links.values(), key=lambda lk: (-lk.confidence, lk.entity_id, lk.variant)):
            ev = lk.evidence
            lines.append(f"{lk.confidence:5.2f}  {lk.status:<9} {'yes' if self.applies(lk) else 'no':<7} "
                         f"{lk.variant} -> {lk.canonical} ({lk.entity_id}): {ev.get('mentions', 0)} mention(s) in "
                         f"{ev.get('records_seen', 0)} record(s), similarity {float(ev.get('similarity', 0)):.2f}"
                         f"{', same key' if ev.get('key_match') else ''}; roles: {', '.join(ev.get('roles', [])) or '-'}")
        return lines
