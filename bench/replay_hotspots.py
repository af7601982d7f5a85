"""Replays two hot spots of the batch CLI on their recorded inputs, to count their instructions.

`--collect FILE` runs the in-process pipeline (no translation) over the first --limit pages of a
set and records what the boilerplate lexicon matched (every block text) and what the fuzzy layer's
candidate search scored (every batch of words, with its cutoff) into FILE (a pickle). `--replay
FILE --what lexicon|fuzzy` then runs only that code over the recorded inputs, in a fresh lexicon or
fuzzy-key table; `--load-only` stops after loading, so that the difference of two runs under
valgrind callgrind is the replay's own instructions:

    .venv/bin/python bench/replay_hotspots.py --collect /tmp/hot.pkl --limit 250
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/replay_hotspots.py --replay /tmp/hot.pkl --what lexicon [--load-only]
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

from extraction import DEFAULT_BENCH_DIR, load_set  # bench scripts import each other from bench/

from normalise import InputDocument, Normaliser, NormaliserConfig
from normalise.boilerplate.lexicon import Lexicon
from normalise.names import index as names_index


def collect(path: Path, limit: int, set_path: Path) -> None:
    texts: list[str] = []
    batches: list[tuple[list[str], float]] = []
    match, scores = Lexicon.match, names_index._FuzzyChoices.scores

    def recording_match(self, text):
        texts.append(text)
        return match(self, text)

    def recording_scores(self, words, cutoff):
        batches.append((list(words), cutoff))
        return scores(self, words, cutoff)

    Lexicon.match = recording_match  # type: ignore[method-assign]
    names_index._FuzzyChoices.scores = recording_scores  # type: ignore[method-assign]
    try:
        normaliser = Normaliser(NormaliserConfig(translate=False))
        for r in load_set(set_path, limit):
            url = r["url"] if str(r.get("url") or "").startswith("http") else None
            normaliser.normalise(InputDocument(id=str(r["id"]), html=r["html"], url=url))
        keys = normaliser.names.index.fuzzy_keys
    finally:
        Lexicon.match, names_index._FuzzyChoices.scores = match, scores  # type: ignore[method-assign]
    path.write_bytes(pickle.dumps({"texts": texts, "batches": batches, "fuzzy_keys": keys}))
    print(f"{len(texts)} lexicon texts, {len(batches)} fuzzy batches -> {path}", file=sys.stderr)


def replay(path: Path, what: str, load_only: bool) -> None:
    data = pickle.loads(path.read_bytes())
    if what == "lexicon":
        lexicon = Lexicon.load()
        for text in [] if load_only else data["texts"]:
            lexicon.match(text)
    else:
        choices = names_index._FuzzyChoices(data["fuzzy_keys"])
        choices.scores(["warmup"], 74.0)  # numpy and the tables loaded in both runs
        for words, cutoff in [] if load_only else data["batches"]:
            choices.scores(words, cutoff)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collect", type=Path)
    parser.add_argument("--replay", type=Path)
    parser.add_argument("--what", choices=["lexicon", "fuzzy"], default="lexicon")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--limit", type=int, default=250)
    parser.add_argument("--set", default=str(DEFAULT_BENCH_DIR / "trafilatura-dev.jsonl.gz"))
    args = parser.parse_args()
    if args.collect:
        collect(args.collect, args.limit, Path(args.set))
    elif args.replay:
        replay(args.replay, args.what, args.load_only)
    else:
        parser.error("give --collect FILE or --replay FILE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
