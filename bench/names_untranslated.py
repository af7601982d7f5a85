"""The names stage over untranslated non-English text: the pages of the extraction benchmark sets
(../shared/bench) go through the pipeline with translation off, and the kept blocks that are not
English reach the names stage as they are, with their language, as `--no-translate` (or a
language without a translation model) hands them over. There is no gold for names here: the
script counts what the stage changes in those blocks, by language and method, and lists the most
frequent changes so a reviewer can read them; --json and --compare compare two runs.

Each block is given the language the pipeline gives the stage (normalise.pipeline._text_language:
an untranslated block's own when the page is identified as in it, else "en"); --as-english tells
the stage every block is English, as the stage worked before it knew languages. The extracted
blocks are kept in --blocks (a JSON file) so that runs after the first score the names stage alone.

    .venv/bin/python bench/names_untranslated.py [--sets trafilatura-dev zh-cwced-dev readability]
        [--limit 250] [--blocks /tmp/untranslated-blocks.json] [--as-english] [--top 40] [--json out.json] [--compare old.json]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from normalise.names import NameUnifier  # noqa: E402


def _extract(bench: Path, sets: list[str], limit: int) -> list[dict]:
    """Per page, the kept blocks' texts and languages (translation off, names stage off)."""
    from normalise import InputDocument, Normaliser, NormaliserConfig
    from normalise.pipeline import _text_language

    class _NoNames:  # the pipeline without the names stage
        def unify_blocks(self, texts, ctx=None, languages=None):
            return [(t, []) for t in texts], []

        def protector(self):
            return None

    normaliser = Normaliser(NormaliserConfig(translate=False), names=_NoNames())
    pages = []
    for name in sets:
        with gzip.open(bench / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for _, line in zip(range(limit), fh, strict=False)]
        docs = [InputDocument(id=f"{name}/{r['id']}", html=r["html"]) for r in rows]
        for record in normaliser.normalise_many(docs):
            blocks = [[b.text, _text_language(b, record.language, None)] for b in record.kept_blocks]
            if any(lang != "en" for _, lang in blocks):
                pages.append({"id": record.id, "blocks": blocks})
    return pages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--sets", nargs="+", default=["trafilatura-dev", "zh-cwced-dev", "readability"])
    ap.add_argument("--limit", type=int, default=250, help="pages read from each set")
    ap.add_argument("--blocks", type=Path, help="extracted blocks: read when the file exists, else written")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--json", type=Path, help="write every change as [page, language, original, canonical, method]")
    ap.add_argument("--compare", type=Path, help="a --json file of another run: changes lost and gained")
    ap.add_argument("--as-english", action="store_true",
                    help="tell the stage every block is English (the stage before it knew languages)")
    args = ap.parse_args()
    if args.blocks and args.blocks.exists():
        pages = json.loads(args.blocks.read_text())
    else:
        pages = _extract(args.bench, args.sets, args.limit)
        if args.blocks:
            args.blocks.write_text(json.dumps(pages))
    unifier = NameUnifier()
    changes: list[list[str]] = []
    records: Counter[str] = Counter()
    for page in pages:
        texts = [t for t, _ in page["blocks"]]
        languages = [lang for _, lang in page["blocks"]]
        results, _ = unifier.unify_blocks(texts, None, ["en"] * len(texts) if args.as_english else languages)
        found = [[page["id"], lang or "?", c.original, c.canonical, c.method]
                 for lang, (_, block) in zip(languages, results, strict=True) if lang != "en" for c in block]
        changes += found
        records.update({f[1] for f in found})
    langs = Counter(lang or "?" for p in pages for _, lang in p["blocks"] if lang != "en")
    print(f"{len(pages)} pages with non-English blocks ({', '.join(args.sets)}; blocks by language: "
          f"{dict(langs.most_common())}): {len(changes)} changes in non-English blocks")
    print("pages changed, by language:", dict(records.most_common()))
    print("changes by language:", dict(Counter(c[1] for c in changes).most_common()))
    print("by method:", dict(Counter(c[4] for c in changes).most_common()))
    _top("most frequent changes", Counter((c[1], c[2], c[3]) for c in changes), args.top)
    if args.json:
        args.json.write_text(json.dumps(changes))
    if args.compare:
        before = Counter(tuple(c) for c in json.loads(args.compare.read_text()))
        after = Counter(tuple(c) for c in changes)
        print(f"\nagainst {args.compare}: {sum(before.values())} -> {len(changes)} changes")
        _top("lost", Counter(k[1:4] for k in (before - after).elements()), args.top)
        _top("gained", Counter(k[1:4] for k in (after - before).elements()), args.top)
    return 0


def _top(title: str, counts: Counter, n: int) -> None:
    print(f"\n{title}:")
    for (lang, original, canonical), k in counts.most_common(n):
        print(f"  {k:4d}  {lang}  {original!r} -> {canonical!r}")


if __name__ == "__main__":
    raise SystemExit(main())
