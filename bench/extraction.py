"""Main-text extraction benchmark: the normaliser vs trafilatura, side by side, same pages, same run.

Reads the third-party sets in ../shared/bench/*.jsonl.gz (see the README there for format
and metric) and prints, per set and per system: precision, recall, F1 and documents/second.

What is scored for the normaliser: the article body, i.e. the kept standfirst, heading, paragraph,
quote and list-item blocks joined by blank lines, without the title block (the gold texts mostly
exclude the page title) and without the caption blocks (the issue keeps one copy of each caption
"marked as a caption block, not as body text"; trafilatura's default output has no captions either).
`record.text`, which also holds the captions, is scored too ("F1 rec.text"). Each set is also split
in two halves by a hash of the page id ("F1 A", "F1 B"), to check that a change tuned on one half
holds on the other. Translation is off; extraction, boilerplate removal, language identification and name
unification run as in production ("normaliser"); "normaliser-extract" runs the same extraction
and boilerplate stages without language identification and name unification, to time the part
this benchmark is about (its text is identical); "normaliser-model" is normaliser-extract with the
opt-in block classifier (normalise/extract/block_model.py); "normaliser-vote" and
"normaliser-vote-gated" are normaliser-extract with the extraction vote (normalise/extract/vote.py)
on every page or on the pages its gate picks; "normaliser-cli" is the batch CLI
(`python -m normalise --no-translate`) given the pages as one JSON Lines file in a subprocess.
trafilatura runs with default settings:
`trafilatura.extract(html)`; "trafilatura-nocomments" adds `include_comments=False`, the setting
that reproduces the trafilatura figures quoted in ../shared/bench/README.md and in the issue (it
scores higher on scrapinghub and readability, so the targets are taken against the better of the
two). Every system times its own work only (no reading or scoring).

Leave-one-set-out: `--loso FIELD=v1,v2` (repeatable; FIELD a field of ExtractorTuning in
normalise/extract/tuning.py, the shipped value is always a candidate) runs normaliser-extract once
per candidate configuration (every combination of the listed values) on every set. For each set
left out, the configuration with the best mean F1 over the *other* sets is chosen (a tie keeps the
shipped one) and its F1 on the left-out set is reported, next to the shipped configuration's and
trafilatura's better setting; the last row is the mean over left-out sets. Without --loso the
table still appears, with the shipped configuration as the only candidate. `--cache-dir` keeps
trafilatura's texts per page between runs (scores only; speed is always measured live).

Large sets are scored in chunks of --chunk pages (texts kept, HTML dropped after each chunk).
`--speed SYSTEMS` adds steady-state pages/second per set: each named system times 50 and then 250 pages
(the set's pages, cycled when it has fewer) and the rate is 200 / (t250 - t50), which cancels
start-up costs (imports, first-call caches) out.

    .venv/bin/python bench/extraction.py [--sets scrapinghub,readability] [--limit N] [--speed normaliser-extract,trafilatura]
    .venv/bin/python bench/extraction.py --limit 60 --loso climb_near_share=0.6,0.9 --cache-dir /tmp/bench-cache
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# This checkout's package first: an installed (editable) one may be another checkout's, and the
# benchmark would then measure that code. The scripts that import this module get the same.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import extraction_loso  # noqa: E402  (bench scripts import each other from bench/)

from normalise.extract.tuning import TUNING
from normalise.extract.vote import tokens as metric_tokens

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BENCH_DIR = REPO.parent / "shared" / "bench"
SETS = ("scrapinghub", "readability", "zh-cwced-dev", "trafilatura-dev", "naeb", "dragnet")

def tokens(text: str) -> Counter:
    """The metric's tokens (a CJK ideograph or kana alone, else a run of word characters), as the
    extraction vote counts them."""
    return Counter(metric_tokens(text or ""))


def bag_scores(pairs: list[tuple[str, str]]) -> dict:
    """Macro precision/recall over pages of bag-of-token overlap; F1 of the two means."""
    precisions, recalls = [], []
    for extracted, gold in pairs:
        ext, ref = tokens(extracted), tokens(gold)
        tp = sum((ext & ref).values())
        n_ext, n_ref = sum(ext.values()), sum(ref.values())
        if n_ext:
            precisions.append(tp / n_ext)
        if n_ref:
            recalls.append(tp / n_ref)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _squash(text: str) -> str:
    return " ".join((text or "").split())


def snippet_scores(items: list[tuple[str, list[str], list[str]]]) -> dict:
    """Snippet metric: `with` found = TP, missing = FN; `without` found = FP; micro over pages."""
    tp = fn = fp = 0
    for extracted, with_, without in items:
        text = _squash(extracted)
        for s in with_:
            if _squash(s) in text:
                tp += 1
            else:
                fn += 1
        for s in without:
            if _squash(s) in text:
                fp += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def half_of(page_id) -> str:
    """"A" or "B": a stable split of a set in two halves (MD5 of the page id, even or odd)."""
    return "A" if int(hashlib.md5(str(page_id).encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


def body_text(record) -> str:
    """Kept body blocks without the title and the captions (see the module docstring)."""
    return "\n\n".join(b.text for b in record.blocks if b.kept and b.kind not in ("title", "caption"))


def load_set(path: Path, limit: int | None) -> list[dict]:
    return [row for chunk in iter_chunks(path, limit, 10**9) for row in chunk]


def iter_chunks(path: Path, limit: int | None, size: int):
    """Pages of a set, `size` at a time (a large set never sits in memory whole)."""
    rows: list[dict] = []
    seen = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            seen += 1
            if len(rows) >= size:
                yield rows
                rows = []
            if limit and seen >= limit:
                break
    if rows:
        yield rows


WARM_UP_SECONDS: list[float] = []  # per normaliser run: Normaliser.warm_up() time (language models, gazetteer)


class _KeepLanguageUnknown:
    """Language stage that identifies nothing (for the extraction-only timing)."""

    def assign(self, blocks, ctx):
        return None


class _NoNames:
    """Name stage that changes nothing (for the extraction-only timing)."""

    def unify_blocks(self, texts, ctx, languages=None):
        return [(t, []) for t in texts], []

    def protector(self):
        return None


_NORMALISERS: dict = {}


def _normaliser(extraction_only: bool, block_model: bool = False, vote: str = "off"):
    """One normaliser per configuration for the whole run (built and warmed up once)."""
    key = (extraction_only, block_model, vote)
    if key not in _NORMALISERS:
        from normalise import Normaliser, NormaliserConfig
        from normalise.boilerplate import BoilerplateRemover

        boilerplate = BoilerplateRemover(block_model=block_model)
        config = NormaliserConfig(translate=False, extraction_vote=vote)
        if extraction_only:  # same extraction and boilerplate stages; language id and names skipped
            normaliser = Normaliser(config, langid=_KeepLanguageUnknown(), names=_NoNames(), boilerplate=boilerplate)
        else:
            normaliser = Normaliser(config, boilerplate=boilerplate)
        start = time.perf_counter()
        normaliser.warm_up()  # once-per-process model and gazetteer loading: reported apart, not per page
        WARM_UP_SECONDS.append(time.perf_counter() - start)
        _NORMALISERS[key] = normaliser
    return _NORMALISERS[key]


def run_normaliser(rows: list[dict], extraction_only: bool = False, block_model: bool = False,
                   vote: str = "off") -> tuple[list[str], float, int, list[str]]:
    from normalise import InputDocument

    normaliser = _normaliser(extraction_only, block_model, vote)
    docs = [InputDocument(id=str(r["id"]), html=r["html"],
                          url=r["url"] if str(r.get("url") or "").startswith("http") else None) for r in rows]
    start = time.perf_counter()
    records = list(normaliser.normalise_many(docs))
    elapsed = time.perf_counter() - start
    errors = sum(1 for rec in records if rec.error is not None)
    return [body_text(rec) for rec in records], elapsed, errors, [rec.text for rec in records]


def write_cli_batch(rows: list[dict], path: Path) -> None:
    """The pages as the batch CLI reads them: one JSON object per line (id, html, url when real)."""
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            page = {"id": str(r["id"]), "html": r["html"]}
            if str(r.get("url") or "").startswith("http"):
                page["url"] = r["url"]
            fh.write(json.dumps(page, ensure_ascii=False) + "\n")


def run_cli(rows: list[dict], *options: str) -> tuple[list[str], float, int, list[str]]:
    """The batch CLI (`python -m normalise --no-translate`) on the pages as one JSON Lines file, in a
    fresh process: the time includes its start-up, which --speed's 50-vs-250 difference cancels."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "pages.jsonl"
        write_cli_batch(rows, batch)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "normalise", "--no-translate", *options, "--format", "jsonl", str(batch)],
                              capture_output=True, cwd=REPO, check=False)
        elapsed = time.perf_counter() - start
    by_id = {}
    for line in done.stdout.decode("utf-8").split("\n"):
        if line.strip():
            record = json.loads(line)
            by_id[record["id"]] = record
    texts, full, errors = [], [], 0
    for r in rows:
        record = by_id.get(str(r["id"]))
        if record is None or record.get("error"):
            errors += 1
        blocks = (record or {}).get("blocks") or []
        texts.append("\n\n".join(b["text"] for b in blocks
                                  if b["removed"] is None and b["kind"] not in ("title", "caption")))
        full.append((record or {}).get("text") or "")
    return texts, elapsed, errors, full


def run_trafilatura(rows: list[dict], **options) -> tuple[list[str], float, int, list[str]]:
    import trafilatura

    out, errors = [], 0
    start = time.perf_counter()
    for r in rows:
        try:
            out.append(trafilatura.extract(r["html"], **options) or "")
        except Exception:  # count it, score it as empty, keep going
            errors += 1
            out.append("")
    return out, time.perf_counter() - start, errors, out


def score(rows: list[dict], texts: list[str]) -> dict:
    if rows and "gold_text" not in rows[0]:
        return snippet_scores([(t, r.get("with") or [], r.get("without") or []) for t, r in zip(texts, rows, strict=False)])
    return bag_scores([(t, r["gold_text"]) for t, r in zip(texts, rows, strict=False)])


@dataclass
class _SystemRun:
    texts: list[str] = field(default_factory=list)
    full: list[str] = field(default_factory=list)  # record.text (with captions)
    elapsed: float = 0.0
    errors: int = 0


RUNNERS: dict[str, Callable[[list[dict]], tuple[list[str], float, int, list[str]]]] = {
    "normaliser": run_normaliser,
    "normaliser-extract": lambda rows: run_normaliser(rows, extraction_only=True),
    "normaliser-model": lambda rows: run_normaliser(rows, extraction_only=True, block_model=True),
    "normaliser-vote": lambda rows: run_normaliser(rows, extraction_only=True, vote="always"),
    "normaliser-vote-gated": lambda rows: run_normaliser(rows, extraction_only=True, vote="gated"),
    "normaliser-cli": run_cli,
    "normaliser-cli-vote-gated": lambda rows: run_cli(rows, "--extraction-vote", "gated"),
    "trafilatura": run_trafilatura,
    "trafilatura-nocomments": lambda rows: run_trafilatura(rows, include_comments=False),
}


def _gold_only(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "html"}


def steady_rate(runner, rows: list[dict], small: int = 50, large: int = 250) -> float:
    """Pages/second once started: (large - small) pages over the time difference of the two runs."""
    pages = [rows[i % len(rows)] for i in range(large)]
    elapsed_small = runner(pages[:small])[1]
    elapsed_large = runner(pages)[1]
    return (large - small) / max(elapsed_large - elapsed_small, 1e-9)


class TextCache:
    """Texts of the systems that do not change between runs (trafilatura), per set and page, in
    `<dir>/<set>.<system>.jsonl`: iterating on the normaliser need not re-run them."""

    CACHED = ("trafilatura", "trafilatura-nocomments")

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.loaded: dict[tuple[str, str], dict[str, dict]] = {}

    def _file(self, name: str, system: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{name}.{system}.jsonl"

    def _entries(self, name: str, system: str) -> dict[str, dict]:
        key = (name, system)
        if key not in self.loaded:
            path = self._file(name, system)
            entries = {}
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    try:
                        row = json.loads(line)
                    except ValueError:  # a line cut by an interrupted run: that page runs again
                        continue
                    entries[row["id"]] = row
            self.loaded[key] = entries
        return self.loaded[key]

    def run(self, name: str, system: str, rows: list[dict]) -> tuple[list[str], float, int, list[str]]:
        if self.directory is None or system not in self.CACHED:
            return RUNNERS[system](rows)
        entries = self._entries(name, system)
        missing = [r for r in rows if str(r["id"]) not in entries]
        if missing:
            texts, elapsed, errors, _ = RUNNERS[system](missing)
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._file(name, system).open("a", encoding="utf-8") as fh:
                for r, text in zip(missing, texts, strict=True):
                    page_id = str(r["id"])
                    row = {"id": page_id, "text": text, "seconds": elapsed / len(missing), "error": False}
                    entries[page_id] = row
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        hits = [entries[str(r["id"])] for r in rows]
        texts = [h["text"] for h in hits]
        return texts, sum(h["seconds"] for h in hits), sum(1 for h in hits if h["error"]), texts


def _config_runner(config: extraction_loso.Config) -> Callable[[list[dict]], tuple[list[str], float, int, list[str]]]:
    """normaliser-extract with the tuning of one leave-one-set-out candidate."""
    def run(rows: list[dict]) -> tuple[list[str], float, int, list[str]]:
        extraction_loso.use_tuning(extraction_loso.tuning_for(config))
        try:
            return run_normaliser(rows, extraction_only=True)
        finally:
            extraction_loso.use_tuning(TUNING)
    return run


def _run_set(path: Path, limit: int | None, chunk_size: int, systems: list[str],
             keep_speed_rows: bool, cache: TextCache | None = None,
             ) -> tuple[list[dict], dict[str, _SystemRun], list[dict]]:
    """Every system on every chunk of one set: (golds, results per system, first 250 pages for timing)."""
    golds: list[dict] = []
    results = {s: _SystemRun() for s in systems}
    speed_rows: list[dict] = []
    cache = cache or TextCache(None)
    name = path.name.split(".")[0]
    for chunk in iter_chunks(path, limit, chunk_size):
        if keep_speed_rows and len(speed_rows) < 250:
            speed_rows.extend(chunk[:250 - len(speed_rows)])
        golds.extend(_gold_only(r) for r in chunk)
        for system in systems:
            texts, elapsed, errors, full_texts = cache.run(name, system, chunk)
            res = results[system]
            res.texts.extend(texts)
            res.full.extend(full_texts)
            res.elapsed += elapsed
            res.errors += errors
    return golds, results, speed_rows


def _result_row(label: str, system: str, golds: list[dict], res: _SystemRun, steady: str) -> str:
    s = score(golds, res.texts)
    halves = {}
    for h in "AB":
        idx = [i for i, r in enumerate(golds) if half_of(r["id"]) == h]
        halves[h] = score([golds[i] for i in idx], [res.texts[i] for i in idx])["f1"] if idx else float("nan")
    full = score(golds, res.full)["f1"]
    rate = len(golds) / res.elapsed if res.elapsed else float("inf")
    return (f"| {label} | {system} | {len(golds)} | {s['precision']:.3f} | {s['recall']:.3f} | "
            f"{s['f1']:.3f} | {halves['A']:.3f} | {halves['B']:.3f} | {full:.3f} | {rate:.1f} | "
            f"{steady} | {res.errors} |")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--chunk", type=int, default=100, help="pages read and run at a time")
    parser.add_argument("--systems", default="normaliser-extract,trafilatura,trafilatura-nocomments",
                        help="normaliser = full pipeline with translation off (language id and names "
                             "included); normaliser-extract = extraction + boilerplate only (same text); "
                             "normaliser-model = normaliser-extract with the opt-in block classifier; "
                             "normaliser-vote / normaliser-vote-gated = with the extraction vote always / gated; "
                             "normaliser-cli = the batch CLI (python -m normalise --no-translate) in a subprocess")
    parser.add_argument("--speed", default="",
                        help="comma-separated systems whose steady-state pages/s (50 vs 250 pages) is measured "
                             "per set, e.g. normaliser-extract,trafilatura")
    parser.add_argument("--loso", action="append", default=[], metavar="FIELD=v1,v2",
                        help="leave-one-set-out candidates: values of an ExtractorTuning field (repeatable; "
                             "every combination is a candidate, the shipped values always are)")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="keep trafilatura's texts here between runs (scores only)")
    parser.add_argument("--scores-json", type=Path, default=None,
                        help="also write the F1 per candidate configuration and set here (for --merge-scores)")
    parser.add_argument("--merge-scores", type=Path, nargs="+", default=None, metavar="JSON",
                        help="print the leave-one-set-out tables from the --scores-json files of several runs "
                             "(e.g. one per set, run side by side) and exit")
    parser.add_argument("--dump", type=Path, default=None, help="write per-page texts (JSONL) here")
    args = parser.parse_args(argv)
    args.systems = [s for s in args.systems.split(",") if s]
    args.speed = [s for s in args.speed.split(",") if s]
    unknown = (set(args.systems) | set(args.speed)) - set(RUNNERS)
    if unknown:
        parser.error(f"unknown system(s): {', '.join(sorted(unknown))}")
    try:
        args.configs = extraction_loso.parse_specs(args.loso)
    except ValueError as exc:
        parser.error(str(exc))
    if "normaliser-extract" not in args.systems:  # the shipped candidate of the leave-one-set-out table
        args.systems.insert(0, "normaliser-extract")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.merge_scores:
        try:
            print("\n".join(extraction_loso.report(*extraction_loso.merge(args.merge_scores))))
        except (OSError, ValueError, KeyError) as exc:
            print(f"error: cannot merge scores: {exc}", file=sys.stderr)
            return 1
        return 0
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its per-page parse complaints are scored, not shown
    if not args.bench_dir.is_dir():
        print(f"skipping: benchmark sets not found at {args.bench_dir} (they live beside the project checkout)")
        return 0
    shipped, *variants = args.configs
    candidates = {f"loso:{extraction_loso.label(c)}": c for c in variants}
    for system, config in candidates.items():
        RUNNERS[system] = _config_runner(config)
    print("| set | system | pages | precision | recall | F1 | F1 A | F1 B | F1 rec.text | docs/s | "
          "steady pages/s | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    cache = TextCache(args.cache_dir)
    loso: dict[str, dict[str, float]] = {extraction_loso.label(c): {} for c in args.configs}
    best_traf: dict[str, float] = {}
    names = []
    for name in [s for s in args.sets.split(",") if s]:
        path = args.bench_dir / f"{name}.jsonl.gz"
        if not path.is_file():
            print(f"| {name} | (missing: {path}) | | | | | | | | | | |")
            continue
        names.append(name)
        golds, results, speed_rows = _run_set(path, args.limit, args.chunk, [*args.systems, *candidates],
                                              bool(args.speed), cache)
        label = f"{name} (snippets)" if golds and "gold_text" not in golds[0] else name
        for system in args.systems:
            steady = f"{steady_rate(RUNNERS[system], speed_rows):.1f}" if system in args.speed else ""
            print(_result_row(label, system, golds, results[system], steady), flush=True)
            if dump:
                for r, t in zip(golds, results[system].texts, strict=False):
                    dump.write(json.dumps({"set": name, "system": system, "id": r["id"], "text": t},
                                          ensure_ascii=False) + "\n")
        loso[extraction_loso.label(shipped)][name] = score(golds, results["normaliser-extract"].texts)["f1"]
        for system, config in candidates.items():
            loso[extraction_loso.label(config)][name] = score(golds, results[system].texts)["f1"]
        trafs = [score(golds, results[s].texts)["f1"] for s in args.systems if s.startswith("trafilatura")]
        if trafs:
            best_traf[name] = max(trafs)
    if dump:
        dump.close()
    if names:
        print("\n".join(extraction_loso.report(loso, names, best_traf)))
    if args.scores_json:
        args.scores_json.write_text(json.dumps({"sets": names, "scores": loso, "best_trafilatura": best_traf},
                                               indent=1), encoding="utf-8")
    if WARM_UP_SECONDS:
        print(f"\nnormaliser warm-up before timing (lingua models, gazetteer; once per process, not in docs/s): "
              f"{max(WARM_UP_SECONDS):.1f} s at most")
    return 0


if __name__ == "__main__":
    sys.exit(main())
