"""The names stage over real English text: the gold main text of the English pages of the
extraction benchmark sets (../shared/bench), one document per page, as the pipeline hands an
English page to the stage. There is no gold for names here: the script counts what the stage
changes, what the ordinary-word rule (normalise/names/ordinary.py) leaves as candidates, and the
candidates by reason (the written-form rules of normalise/names/written.py among them), so a
reviewer can read the most frequent of each, and compares two runs (--json, then --compare).

Each block goes to the stage with the language the pipeline tells it for an English page with
translation off (pipeline._text_language): "en" for a block the pipeline's language
identification (normalise.langid) finds English, else that language for the stage to confirm by
the block's stop words (a few pages labelled "en" are Portuguese, German or Indonesian, and some
English pages quote another language). --all-english tells the stage every block is English.

    .venv/bin/python bench/names_real_text.py [--sets naeb scrapinghub dragnet readability]
        [--top 25] [--json changes.json] [--compare other.json] [--all-english]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from normalise.config import NormaliserConfig  # noqa: E402
from normalise.langid import LanguageIdentifier  # noqa: E402
from normalise.names import NameUnifier  # noqa: E402
from normalise.pipeline import _text_language  # noqa: E402
from normalise.record import Block  # noqa: E402
from normalise.stages import DocumentContext  # noqa: E402

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\([^)]*\)")  # the words of a reason: counted by its kind
BLOCKS_PER_PAGE = 400  # the longest pages are cut here, as a names-stage call sees a document
ORDINARY_REASONS = ("ordinary word", "starts a new sentence", "is also a word")


def _pages(bench: Path, sets: list[str]):
    for name in sets:
        with gzip.open(bench / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                page = json.loads(line)
                if page.get("gold_text") and page.get("lang") in ("en", None):
                    yield page


def _languages(langid: LanguageIdentifier | None, page_id: str, lines: list[str]) -> list[str | None]:
    """Per block, the language the pipeline tells the names stage for an English page with
    translation off (every block "en" without `langid`)."""
    if langid is None:
        return ["en"] * len(lines)
    blocks = [Block(text=t, position=i) for i, t in enumerate(lines)]
    langid.assign(blocks, DocumentContext(id=page_id))
    for b in blocks:
        b.translation = "source_english" if b.language == "en" else "untranslated"
    return [_text_language(b, "en", None) for b in blocks]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--sets", nargs="+", default=["naeb", "scrapinghub", "dragnet", "readability"])
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--json", type=Path, help="write every change as [page, original, canonical, method, evidence]")
    ap.add_argument("--compare", type=Path, help="a --json file of another run: changes lost and gained")
    ap.add_argument("--all-english", action="store_true",
                    help="tell the stage every block is English (no language identification)")
    args = ap.parse_args()
    unifier = NameUnifier()
    langid = None if args.all_english else LanguageIdentifier(NormaliserConfig().languages)
    changes: list[list[str]] = []
    refused: Counter[tuple[str, str]] = Counter()
    reasons: Counter[str] = Counter()
    pages = 0
    for page in _pages(args.bench, args.sets):
        blocks = [b for b in page["gold_text"].split("\n") if b.strip()][:BLOCKS_PER_PAGE]
        languages = _languages(langid, page["id"], blocks)
        pages += 1
        results, candidates = unifier.unify_blocks(blocks, None, languages)
        changes += [[page["id"], c.original, c.canonical, c.method, c.evidence or ""] for _, block in results for c in block]
        refused.update((c["original"], c["canonical"]) for c in candidates
                       if any(r in c["reason"] for r in ORDINARY_REASONS))
        reasons.update(_QUOTED.sub("X", c["reason"]) for c in candidates)
    print(f"{pages} English pages ({', '.join(args.sets)}): {len(changes)} changes, "
          f"{sum(refused.values())} mentions left as candidates by the ordinary-word rule")
    print("by method:", dict(Counter(c[3] for c in changes).most_common()))
    _top("most frequent changes", Counter((c[1], c[2]) for c in changes), args.top)
    _top("most frequent ordinary-word candidates", refused, args.top)
    print("\ncandidates by reason:")
    for reason, count in reasons.most_common(args.top):
        print(f"  {count:5d}  {reason}")
    if args.json:
        args.json.write_text(json.dumps(changes))
    if args.compare:
        before = Counter(tuple(c[:4]) for c in json.loads(args.compare.read_text()))
        after = Counter(tuple(c[:4]) for c in changes)
        lost: Counter[tuple[str, str]] = Counter()
        gained: Counter[tuple[str, str]] = Counter()
        for k, n in (before - after).items():
            lost[(k[1], k[2])] += n
        for k, n in (after - before).items():
            gained[(k[1], k[2])] += n
        print(f"\nagainst {args.compare}: {sum(before.values())} -> {len(changes)} changes, "
              f"{sum(lost.values())} lost, {sum(gained.values())} gained")
        _top("lost", lost, args.top)
        _top("gained", gained, args.top)
    return 0


def _top(title: str, counts: Counter, n: int) -> None:
    print(f"\n{title}:")
    for (original, canonical), k in counts.most_common(n):
        print(f"  {k:4d}  {original!r} -> {canonical!r}")


if __name__ == "__main__":
    raise SystemExit(main())
