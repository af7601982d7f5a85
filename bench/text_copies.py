"""Text copies of the extraction benchmark pages, scored in text mode: the dev set for text dumps.

Each page's HTML is rendered the way a browser's "select all, copy" gives it: one line per
block-level element, every visible part of the page included (navigation, footers, cookie
banners, related lists), script/style/noscript/template and hidden elements left out. Rendering
is inscriptis (a browser-like HTML-to-text renderer); the list bullets it draws are removed,
since a browser's copy has none. The pages' gold (../shared/bench, see its README) applies to
the copies unchanged, scored with the metric in bench/extraction.py.

Also labels every line of a copy for training (bench/train_text_lines.py): a line is article
text when most of its token trigrams (the whole line when shorter) occur in the gold text; for
the snippet set (trafilatura-dev) a line holding a `with` snippet is article text, one holding
a `without` snippet is not, and the other lines are left unlabelled.

Prints keep-every-line and text-mode (the normaliser given the copy as text) scores per set:

    .venv/bin/python bench/text_copies.py [--sets naeb,dragnet] [--limit N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import (  # bench scripts import each other from bench/
    DEFAULT_BENCH_DIR,
    REPO,
    body_text,
    load_set,
    score,
    tokens,
)

ALL_SETS = ("scrapinghub", "readability", "zh-cwced-dev", "trafilatura-dev", "naeb", "dragnet")
CACHE_DIR = REPO / ".cache" / "text_copies"
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BULLET = re.compile(r"^[*+o-]\s+|^\d+\.\s+(?=\S)")
_NOT_RENDERED = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")


def _hidden(element) -> bool:
    return (element.tag in _NOT_RENDERED or element.get("hidden") is not None
            or element.get("aria-hidden") == "true" or bool(_HIDDEN_STYLE.search(element.get("style") or "")))


def render_copy(html: str) -> str:
    """A browser-like plain-text copy of a page: one line per block, no empty lines."""
    import lxml.html
    from inscriptis import Inscriptis
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig

    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):  # an unparseable page copies as nothing
        return ""
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element.getparent() is not None and _hidden(element):
            element.drop_tree()
    text = Inscriptis(root, ParserConfig(css=CSS_PROFILES["strict"], display_links=False)).get_text()
    lines = []
    for line in text.splitlines():
        line = _BULLET.sub("", line.strip()) if line.lstrip().startswith(("* ", "+ ", "o ")) else line.strip()
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def _trigrams(toks: list[str]) -> set[tuple[str, ...]]:
    return {tuple(toks[i:i + 3]) for i in range(len(toks) - 2)}


def label_lines(lines: list[str], row: dict) -> list[int | None]:
    """1 = article text, 0 = not, None = unknown (snippet set, line holds no snippet)."""
    if "gold_text" not in row:
        withs = [" ".join(s.split()) for s in row.get("with") or []]
        withouts = [" ".join(s.split()) for s in row.get("without") or []]
        labels: list[int | None] = []
        for line in lines:
            if any(s and s in line for s in withs):
                labels.append(1)
            elif any(s and s in line for s in withouts):
                labels.append(0)
            else:
                labels.append(None)
        return labels
    gold_tokens = _token_list(row["gold_text"])
    gold_grams = _trigrams(gold_tokens)
    gold_text = " ".join(gold_tokens)
    out: list[int | None] = []
    for line in lines:
        toks = _token_list(line)
        if not toks:
            out.append(0)
        elif len(toks) < 3:
            out.append(int(f" {' '.join(toks)} " in f" {gold_text} "))
        else:
            grams = [tuple(toks[i:i + 3]) for i in range(len(toks) - 2)]
            out.append(int(sum(g in gold_grams for g in grams) / len(grams) >= 0.5))
    return out


def _token_list(text: str) -> list[str]:
    from normalise.extract.vote import tokens

    return tokens(text or "")


def copies(name: str, bench_dir: Path = DEFAULT_BENCH_DIR, limit: int | None = None) -> list[dict]:
    """The set's rows with a `copy` (the text copy) added; rendered once, then read from the cache."""
    cache = CACHE_DIR / f"{name}.jsonl.gz"
    rows = load_set(bench_dir / f"{name}.jsonl.gz", limit)
    rendered: dict[str, str] = {}
    if cache.is_file():
        with gzip.open(cache, "rt", encoding="utf-8") as fh:
            rendered = {d["id"]: d["copy"] for d in map(json.loads, fh)}
    missing = [r for r in rows if str(r["id"]) not in rendered]
    for r in missing:
        rendered[str(r["id"])] = render_copy(r["html"])
    if missing:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(cache, "wt", encoding="utf-8") as fh:
            for key, value in rendered.items():
                fh.write(json.dumps({"id": key, "copy": value}, ensure_ascii=False) + "\n")
    for r in rows:
        r["copy"] = rendered[str(r["id"])]
        r.pop("html", None)
    return rows


def text_mode_records(rows: list[dict]) -> Iterator:
    """Records of the normaliser given each copy as a text dump (extraction and boilerplate only)."""
    from extraction import _KeepLanguageUnknown, _NoNames

    from normalise import InputDocument, Normaliser, NormaliserConfig

    normaliser = Normaliser(NormaliserConfig(translate=False), langid=_KeepLanguageUnknown(), names=_NoNames())
    docs = [InputDocument(id=str(r["id"]), text=r["copy"] or " ", template_hashes=r.get("template_hashes", frozenset()))
            for r in rows]
    return normaliser.normalise_many(docs)


def text_mode_bodies(rows: list[dict]) -> list[str]:
    return [body_text(rec) if rec.error is None else "" for rec in text_mode_records(rows)]


SYSTEMS: dict[str, Callable[[list[dict]], list[str]]] = {
    "keep-every-line": lambda rows: [r["copy"] for r in rows],
    "text-mode": text_mode_bodies,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if not args.bench_dir.is_dir():
        print(f"benchmark sets not found at {args.bench_dir} (they live beside the project checkout)",
              file=sys.stderr)
        return 2
    print("| set | system | pages | precision | recall | F1 | docs/s |")
    print("|---|---|---|---|---|---|---|")
    for name in [s for s in args.sets.split(",") if s]:
        rows = copies(name, args.bench_dir, args.limit)
        for system in [s for s in args.systems.split(",") if s]:
            start = time.perf_counter()
            texts = SYSTEMS[system](rows)
            rate = len(rows) / max(time.perf_counter() - start, 1e-9)
            s = score(rows, texts)
            print(f"| {name} | {system} | {len(rows)} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} "
                  f"| {rate:.0f} |", flush=True)
    return 0


__all__ = ["copies", "label_lines", "render_copy", "tokens"]

if __name__ == "__main__":
    sys.exit(main())
