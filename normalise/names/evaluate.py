"""Scoring the names stage on an evaluation set (bench/data/names_eval*.yaml format).

Per document, the changes made are compared with the expected [original, canonical] pairs as
multisets: a change not expected (a trap rewritten, a wrong canonical) is a false positive,
an expected change not made a false negative. Traps (`keep`) must occur as often after the
stage as before.

Expected changes may carry a kind and a region ([original, canonical, kind, region]; the
region defaults to the document's), traps a kind ([phrase, kind]); a document may give
`languages`, one per block, the language the pipeline tells the stage each block is in
("en", "unsupported", "de"...; English when absent); the report then breaks
precision, recall and kept traps down by region and by kind. Every document belongs to one
split, `tune` or `test`, by a hash of its id (or its own `split:`), so thresholds can be
chosen on one half and reported on the other.
"""
from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

UNTAGGED = "-"


@dataclass
class Expected:
    original: str
    canonical: str
    kind: str = UNTAGGED
    region: str = UNTAGGED

    @property
    def pair(self) -> tuple[str, str]:
        return self.original, self.canonical


@dataclass
class EvalDoc:
    id: str
    blocks: list[str]
    expected: list[Expected]
    keep: list[tuple[str, str]]  # (phrase, kind)
    region: str = UNTAGGED
    split: str = "tune"
    languages: list[str | None] | None = None  # per block, as the pipeline tells the stage

    @property
    def changes(self) -> list[tuple[str, str]]:
        return [e.pair for e in self.expected]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    traps: int = 0
    traps_broken: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class EvalReport(Score):
    mentions: int = 0
    docs: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    by_region: dict[str, Score] = field(default_factory=dict)
    by_kind: dict[str, Score] = field(default_factory=dict)
    # expected changes whose canonical form the gazetteer holds, and those it does not (a miss
    # there is missing data, not a matcher miss)
    by_known: dict[str, Score] = field(default_factory=dict)

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / self.docs if self.docs else 0.0

    def _at(self, table: dict[str, Score], key: str) -> Score:
        return table.setdefault(key, Score())


def split_of(doc_id: str) -> str:
    """A stable half of the set: the same id lands in the same split on every machine."""
    return "test" if hashlib.sha256(doc_id.encode("utf-8")).digest()[0] % 2 else "tune"


def _expected(raw, region: str, where: str) -> Expected:
    if not isinstance(raw, (list, tuple)) or not 2 <= len(raw) <= 4 or not all(isinstance(x, str) for x in raw):
        raise ValueError(f"{where}: a change is [original, canonical, kind?, region?], got {raw!r}")
    original, canonical, *rest = raw
    return Expected(original, canonical, rest[0] if rest else UNTAGGED, rest[1] if len(rest) > 1 else region)


def _keep(raw, where: str) -> tuple[str, str]:
    if isinstance(raw, str):
        return raw, UNTAGGED
    if isinstance(raw, (list, tuple)) and len(raw) == 2 and all(isinstance(x, str) for x in raw):
        return raw[0], raw[1]
    raise ValueError(f"{where}: a trap is a phrase or [phrase, kind], got {raw!r}")


def _languages(raw, blocks: int, where: str) -> list[str | None] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != blocks or not all(isinstance(x, str) for x in raw):
        raise ValueError(f"{where}: languages is a list of {blocks} language codes, one per block, got {raw!r}")
    return list(raw)


def load_eval(path: Path | str, split: str | None = None) -> list[EvalDoc]:
    """The documents of an evaluation file; only those of one split if `split` is given."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    docs = []
    for raw in data["documents"]:
        where = f"{path}: {raw.get('id')}"
        region = raw.get("region") or UNTAGGED
        blocks = [b.strip() for b in re.split(r"\n\s*\n", raw["text"]) if b.strip()]
        doc = EvalDoc(raw["id"], blocks, [_expected(c, region, where) for c in raw.get("changes") or []],
                      [_keep(k, where) for k in raw.get("keep") or []], region,
                      raw.get("split") or split_of(raw["id"]), _languages(raw.get("languages"), len(blocks), where))
        if split is None or doc.split == split:
            docs.append(doc)
    return docs


def _count(text: str, phrase: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text))


def _known_forms(unifier) -> set[str] | None:
    index = getattr(unifier, "index", None)
    if index is None:
        return None
    return {form for ent in index.gazetteer.entities.values() for form in (ent.canonical, ent.short)}


def evaluate(unifier, docs: list[EvalDoc]) -> EvalReport:
    report = EvalReport()
    known = _known_forms(unifier)
    for doc in docs:
        started = time.perf_counter()
        results, _ = unifier.unify_blocks(doc.blocks, None, languages=doc.languages)
        report.seconds += time.perf_counter() - started
        report.docs += 1
        made = Counter((c.original, c.canonical) for _, changes in results for c in changes)
        _score_changes(report, doc, made, known)
        before, after = "\n\n".join(doc.blocks), "\n\n".join(t for t, _ in results)
        seen: set[str] = set()
        for phrase, kind in doc.keep:
            if phrase in seen:
                continue
            seen.add(phrase)
            n = _count(before, phrase)
            broken = max(0, n - _count(after, phrase))
            for score in (report, report._at(report.by_region, doc.region), report._at(report.by_kind, kind)):
                score.traps += n
                score.traps_broken += broken
            if broken:
                report.errors.append(f"{doc.id}: trap {phrase!r} changed {broken} time(s)")
        report.mentions += len(doc.expected) + sum(_count(before, p) for p in seen)
    return report


def _score_changes(report: EvalReport, doc: EvalDoc, made: Counter, known: set[str] | None) -> None:
    remaining = Counter(made)
    for exp in doc.expected:
        scores = [report, report._at(report.by_region, exp.region), report._at(report.by_kind, exp.kind)]
        if known is not None:
            in_gazetteer = exp.canonical in known or exp.canonical.title() in known
            scores.append(report._at(report.by_known, "in gazetteer" if in_gazetteer else "not in gazetteer"))
        if remaining[exp.pair] > 0:
            remaining[exp.pair] -= 1
            for score in scores:
                score.tp += 1
        else:
            for score in scores:
                score.fn += 1
            report.errors.append(f"{doc.id}: missed {exp.original!r} -> {exp.canonical!r}")
    for pair, n in (+remaining).items():
        for score in (report, report._at(report.by_region, doc.region), report._at(report.by_kind, "unexpected")):
            score.fp += n
        report.errors.append(f"{doc.id}: unexpected change {pair[0]!r} -> {pair[1]!r}" + (f" x{n}" if n > 1 else ""))
