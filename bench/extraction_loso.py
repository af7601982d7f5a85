"""Leave-one-set-out selection of extractor configurations, for bench/extraction.py (`--loso`).

A configuration is a set of values for fields of normalise/extract/tuning.py's ExtractorTuning.
Each candidate runs on every set; for each set left out, the candidate with the best mean F1 over
the *other* sets is chosen, and its F1 on the left-out set is what counts: a change is worth
keeping when the mean over left-out sets rises, not when one set does.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path
from typing import Any

from normalise.boilerplate import passes
from normalise.extract import container, hidden_text, html_blocks, tuning, walker

_TUNED_MODULES = (walker, container, html_blocks, hidden_text, passes)
_TRUE = frozenset(("1", "true", "yes", "on"))
_FALSE = frozenset(("0", "false", "no", "off"))

Config = tuple[tuple[str, Any], ...]  # ((field, value), ...): hashable, printable


def use_tuning(values: tuning.ExtractorTuning) -> None:
    """Make the extractor modules use `values` (they bind TUNING at import)."""
    for module in _TUNED_MODULES:
        module.TUNING = values  # type: ignore[attr-defined]
    walker._info_for.cache_clear()  # cached element facts depend on the itemprop bonus
    walker._attribute_hints.cache_clear()


def tuning_for(config: Config) -> tuning.ExtractorTuning:
    return dataclasses.replace(tuning.TUNING, **dict(config))


def _parse_value(field: dataclasses.Field, text: str):
    default = field.default
    if isinstance(default, bool):
        word = text.strip().lower()
        if word not in _TRUE | _FALSE:
            raise ValueError(f"{field.name}: {text!r} is not a boolean (true/false)")
        return word in _TRUE
    return type(default)(text) if isinstance(default, (int, float)) else float(text)


def parse_specs(specs: list[str]) -> list[Config]:
    """`FIELD=v1,v2` strings -> every combination of the values (the shipped value of each field
    is always one of them); the shipped configuration comes first. ValueError on a bad spec."""
    fields = {f.name: f for f in dataclasses.fields(tuning.ExtractorTuning)}
    axes: list[list[tuple[str, object]]] = []
    for spec in specs:
        name, sep, values = spec.partition("=")
        name = name.strip()
        if not sep or name not in fields or not isinstance(fields[name].default, (bool, int, float)):
            raise ValueError(f"--loso wants FIELD=v1,v2 with a numeric or boolean ExtractorTuning field, not {spec!r}")
        shipped = getattr(tuning.TUNING, name)
        candidates = [shipped]
        for text in values.split(","):
            if text.strip():
                value = _parse_value(fields[name], text)
                if value not in candidates:
                    candidates.append(value)
        axes.append([(name, v) for v in candidates])
    return [tuple(combo) for combo in itertools.product(*axes)]


def label(config: Config) -> str:
    changed = [f"{k}={v}" for k, v in config if v != getattr(tuning.TUNING, k)]
    return ", ".join(changed) if changed else "shipped"


@dataclasses.dataclass
class LeftOut:
    held: str
    chosen: str  # label of the configuration
    f1: float  # the chosen configuration's F1 on the left-out set
    shipped_f1: float


def leave_one_out(scores: dict[str, dict[str, float]], names: list[str]) -> list[LeftOut]:
    """For each set, the configuration best on the other sets (ties keep the earlier, shipped one).
    `scores`: configuration label -> set -> F1, the shipped configuration first."""
    configs = list(scores)
    shipped = configs[0]
    out = []
    for held in names:
        others = [n for n in names if n != held]
        best = max(configs, key=lambda c: (sum(scores[c][n] for n in others), -configs.index(c)))
        out.append(LeftOut(held, best, scores[best][held], scores[shipped][held]))
    return out


def report(scores: dict[str, dict[str, float]], names: list[str], best_traf: dict[str, float]) -> list[str]:
    """Markdown lines: F1 per configuration and set, then the leave-one-set-out table."""
    lines = ["", "F1 of normaliser-extract per candidate configuration:", "",
             "| configuration | " + " | ".join(names) + " | mean |",
             "|---|" + "---|" * (len(names) + 1)]
    for config, per_set in scores.items():
        row = [per_set[n] for n in names]
        lines.append(f"| {config} | " + " | ".join(f"{f:.3f}" for f in row)
                     + f" | {sum(row) / len(row):.4f} |")
    lines += ["", "Leave-one-set-out (each set scored with the configuration chosen on the other sets):", "",
              "| left-out set | chosen on the other sets | F1 there | shipped F1 | best trafilatura F1 "
              "| F1 − best traf. |", "|---|---|---|---|---|---|"]
    results = leave_one_out(scores, names)
    for r in results:
        traf = best_traf.get(r.held)
        gap = f"{r.f1 - traf:+.3f}" if traf is not None else ""
        lines.append(f"| {r.held} | {r.chosen} | {r.f1:.3f} | {r.shipped_f1:.3f} | "
                     f"{'' if traf is None else f'{traf:.3f}'} | {gap} |")
    n = len(results)
    mean_f1 = sum(r.f1 for r in results) / n
    mean_shipped = sum(r.shipped_f1 for r in results) / n
    trafs = [best_traf[r.held] for r in results if r.held in best_traf]
    mean_traf = sum(trafs) / len(trafs) if len(trafs) == n else None
    lines.append(f"| **mean** | | **{mean_f1:.4f}** | {mean_shipped:.4f} | "
                 f"{'' if mean_traf is None else f'{mean_traf:.4f}'} | "
                 f"{'' if mean_traf is None else f'{mean_f1 - mean_traf:+.4f}'} |")
    return lines


def merge(paths: list[Path]) -> tuple[dict[str, dict[str, float]], list[str], dict[str, float]]:
    """Scores written by several runs (`--scores-json`, e.g. one per set on a busy machine), merged."""
    scores: dict[str, dict[str, float]] = {}
    names: list[str] = []
    best_traf: dict[str, float] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for config, per_set in data["scores"].items():
            scores.setdefault(config, {}).update(per_set)
        names += [n for n in data["sets"] if n not in names]
        best_traf.update(data["best_trafilatura"])
    missing = [(c, n) for c in scores for n in names if n not in scores[c]]
    if missing:
        raise ValueError(f"configuration {missing[0][0]!r} has no score for set {missing[0][1]!r}: "
                         "every run must use the same --loso candidates")
    return scores, names, best_traf
