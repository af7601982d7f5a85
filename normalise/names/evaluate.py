"""Scoring the names stage on an evaluation set (bench/data/names_eval.yaml format).

Per document, the changes made are compared with the expected [original, canonical] pairs as
multisets: a change not expected (a trap rewritten, a wrong canonical) is a false positive,
an expected change not made a false negative. Traps (`keep`) must occur as often after the
stage as before.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass
class EvalDoc:
    id: str
    blocks: list[str]
    changes: list[tuple[str, str]]
    keep: list[str]


@dataclass
class EvalReport:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    mentions: int = 0
    traps: int = 0
    traps_broken: int = 0
    docs: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / self.docs if self.docs else 0.0


def load_eval(path: Path | str) -> list[EvalDoc]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    docs = []
    for raw in data["documents"]:
        blocks = [b.strip() for b in re.split(r"\n\s*\n", raw["text"]) if b.strip()]
        docs.append(EvalDoc(raw["id"], blocks, [tuple(c) for c in raw.get("changes") or []],
                            list(raw.get("keep") or [])))
    return docs


def _count(text: str, phrase: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text))


def evaluate(unifier, docs: list[EvalDoc]) -> EvalReport:
    report = EvalReport()
    for doc in docs:
        started = time.perf_counter()
        results, _ = unifier.unify_blocks(doc.blocks, None)
        report.seconds += time.perf_counter() - started
        report.docs += 1
        made = Counter((c.original, c.canonical) for _, changes in results for c in changes)
        expected = Counter(doc.changes)
        tp = sum((made & expected).values())
        report.tp += tp
        report.fp += sum(made.values()) - tp
        report.fn += sum(expected.values()) - tp
        for pair in made - expected:
            report.errors.append(f"{doc.id}: unexpected change {pair[0]!r} -> {pair[1]!r}")
        for pair in expected - made:
            report.errors.append(f"{doc.id}: missed {pair[0]!r} -> {pair[1]!r}")
        before, after = "\n\n".join(doc.blocks), "\n\n".join(t for t, _ in results)
        for phrase in dict.fromkeys(doc.keep):
            n = _count(before, phrase)
            report.traps += n
            broken = max(0, n - _count(after, phrase))
            report.traps_broken += broken
            if broken:
                report.errors.append(f"{doc.id}: trap {phrase!r} changed {broken} time(s)")
        report.mentions += sum(expected.values()) + sum(_count(before, p) for p in dict.fromkeys(doc.keep))
    return report
