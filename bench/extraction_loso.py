"""Leave-one-set-out tuning of one extractor number (a field of normalise/extract/tuning.py).

For each candidate value the extractor runs on every set (extraction and boilerplate only, as
"normaliser-extract" in bench/extraction.py) and each set is scored. Then, for each set left out,
the value that maximises the mean F1 of the *other* sets is chosen and its score on the left-out
set is reported next to the shipped value's: a change is worth keeping when the mean over
left-out sets rises, not when one set does.

    .venv/bin/python bench/extraction_loso.py --field climb_near_share --values 0.6,0.75,0.9
    .venv/bin/python bench/extraction_loso.py --field intro_reach --values 800,1500 --limit 40
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction import (  # bench scripts: not a package
    DEFAULT_BENCH_DIR,
    SETS,
    body_text,
    iter_chunks,
    score,
)

from normalise.extract import container, html_blocks, tuning, walker

_TUNED_MODULES = (walker, container, html_blocks)


def use_tuning(values: tuning.ExtractorTuning) -> None:
    """Make the extractor modules use `values` (they bind TUNING at import)."""
    for module in _TUNED_MODULES:
        module.TUNING = values  # type: ignore[attr-defined]
    walker._info_for.cache_clear()  # cached element facts depend on the itemprop bonus
    walker._attribute_hints.cache_clear()


def set_scores(names: list[str], bench_dir: Path, limit: int | None) -> dict[str, float]:
    from extraction import _KeepLanguageUnknown, _NoNames

    from normalise import InputDocument, Normaliser, NormaliserConfig
    from normalise.boilerplate import BoilerplateRemover

    normaliser = Normaliser(NormaliserConfig(translate=False), langid=_KeepLanguageUnknown(), names=_NoNames(),
                            boilerplate=BoilerplateRemover())
    out = {}
    for name in names:
        golds: list[dict] = []
        texts: list[str] = []
        for chunk in iter_chunks(bench_dir / f"{name}.jsonl.gz", limit, 50):
            docs = [InputDocument(id=str(r["id"]), html=r["html"],
                                  url=r["url"] if str(r.get("url") or "").startswith("http") else None)
                    for r in chunk]
            texts.extend(body_text(rec) for rec in normaliser.normalise_many(docs))
            golds.extend({k: v for k, v in r.items() if k != "html"} for r in chunk)
        out[name] = score(golds, texts)["f1"]
    return out


def _parse_value(field: dataclasses.Field, text: str):
    default = field.default
    return type(default)(text) if isinstance(default, (int, float)) else float(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--field", required=True, help="an ExtractorTuning field, e.g. climb_near_share")
    parser.add_argument("--values", required=True, help="comma-separated candidate values")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    fields = {f.name: f for f in dataclasses.fields(tuning.ExtractorTuning)}
    if args.field not in fields or not isinstance(fields[args.field].default, (int, float)):
        parser.error(f"--field must be a numeric ExtractorTuning field, not {args.field!r}")
    if not args.bench_dir.is_dir():
        print(f"error: benchmark sets not found at {args.bench_dir}", file=sys.stderr)
        return 1
    names = [s for s in args.sets.split(",") if s]
    shipped = getattr(tuning.TUNING, args.field)
    values = sorted({shipped, *(_parse_value(fields[args.field], v) for v in args.values.split(",") if v)})
    table = {}
    for value in values:
        use_tuning(dataclasses.replace(tuning.TUNING, **{args.field: value}))
        table[value] = set_scores(names, args.bench_dir, args.limit)
        print(f"{args.field}={value}: " + ", ".join(f"{n} {f:.3f}" for n, f in table[value].items()), flush=True)
    use_tuning(tuning.TUNING)
    print(f"\n| left-out set | shipped ({shipped}) | chosen on the other sets | F1 there | gain |")
    print("|---|---|---|---|---|")
    gains = []
    for held in names:
        others = [n for n in names if n != held]
        # (a tie keeps the shipped value)
        best = max(values, key=lambda v: (sum(table[v][n] for n in others), v == shipped))
        gain = table[best][held] - table[shipped][held]
        gains.append(gain)
        print(f"| {held} | {table[shipped][held]:.3f} | {best} | {table[best][held]:.3f} | {gain:+.3f} |")
    print(f"| mean | | | | {sum(gains) / len(gains):+.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
