"""Guard recall with and without the trigram step of language identification, on unconfigured
languages that bench/langid.py's OTHER_LANGS do not contain (held out from the choice of the
step's letter check, which came from that set).

    .venv/bin/python bench/langid_trigrams.py [--per-language 100]

Each gettext message of a held-out language is inserted as one paragraph in the middle of an
English news page of ../shared/bench (as bench/langid.py's "unconfigured in English pages");
printed: how many the default identifier marks "unsupported" when every block the page's
language does not settle goes to lingua's high-accuracy mode, when trigrams agreeing with the
page's language settle it, when they settle it agreeing, sure and with no letter that language
does not use, and with the rule as it is (that, and most of the text's words are the language's
common words).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import langid as bench  # noqa: E402  (bench/langid.py)

from normalise.langid import LanguageIdentifier  # noqa: E402
from normalise.langid.detector import _detectors  # noqa: E402
from normalise.record import Block  # noqa: E402
from normalise.stages import DocumentContext  # noqa: E402

HELD_OUT = ("da", "fi", "sk", "sl", "hr", "lt", "et", "ca", "id", "nb", "gl", "eu")
RULES = {
    "every short text in high-accuracy mode": lambda self, text, pairs, expected: False,
    "trigrams agreeing with the page": lambda self, text, pairs, expected: bool(pairs) and pairs[0][0] == expected,
    "agreeing, sure, no foreign letter": lambda self, text, pairs, expected: (
        bool(pairs) and pairs[0][0] == expected and not self._unsure(pairs)
        and not self.profile.outside_alphabet(text, expected)),
    "as configured": LanguageIdentifier._trigrams_settle,
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-language", type=int, default=100)
    args = ap.parse_args()
    english = [paras for lang, paras in bench.news_pages(10_000) if lang == "en" and len(paras) >= 3]
    texts = bench.gettext_texts(args.per_language, HELD_OUT)
    identifier = LanguageIdentifier(bench.LANGS, preload=False)
    for name, rule in RULES.items():
        LanguageIdentifier._trigrams_settle = rule  # type: ignore[method-assign]
        for detector in _detectors.values():  # no answers remembered from another rule
            detector._cache.clear()
        marked, k = {}, 0
        for code, messages in texts.items():
            marked[code] = 0
            for text in messages:
                paras = list(english[k % len(english)])
                k += 1
                where = len(paras) // 2
                paras.insert(where, text)
                blocks = [Block(text=t, position=i) for i, t in enumerate(paras)]
                identifier.assign(blocks, DocumentContext(id=f"held-out-{k}"))
                marked[code] += blocks[where].language == "unsupported"
        total = sum(len(m) for m in texts.values())
        print(f"{name:<40} {sum(marked.values()):4d} of {total}  "
              + " ".join(f"{code} {n}/{len(texts[code])}" for code, n in marked.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
