"""Language identification benchmark: accuracy, speed and memory for the configured languages.

    .venv/bin/python bench/langid.py [--per-language 300]

Real text used (lingua's own test data is not in the installed wheel, and the lingua
repositories' test sets are not on this machine):
- "gettext": human translations of software messages shipped in /usr/share/locale
  (*.mo of postgres, glib, coreutils, bash, apt, gtk, libc, ...) and vim; the English
  side is the msgid. Messages of 40+ characters after removing %-formats.
- "news": paragraphs (40+ characters) of the gold text of the extraction benchmark pages
  in ../shared/bench, by their `lang` field (only de, en, es, fr, it, pt, zh are there).
Each detector set-up runs in its own process so its memory (peak RSS) is its own.
"""
from __future__ import annotations

import argparse
import gettext
import gzip
import json
import random
import re
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED_BENCH = REPO.parent / "shared" / "bench"
LANGS = ("en", "de", "fr", "es", "it", "pt", "zh", "ru", "uk", "el")
# Unconfigured languages, to measure the out-of-scope guard (share marked "unsupported").
OTHER_LANGS = ("pl", "nl", "cs", "sv", "tr", "bg", "sr", "ro", "hu", "ja")
LOCALE_DIRS = {"zh": ["zh_CN"], "pt": ["pt", "pt_BR"]}
CATALOGS = ("postgres-15", "psql-15", "glib20", "coreutils", "bash", "apt", "libapt-pkg6.0", "gtk20", "libc",
            "git", "dpkg", "findutils", "grep", "sed", "tar", "wget", "gnupg2", "systemd", "shadow", "vim")
MIN_CHARS = 40
_FORMAT = re.compile(r"%(\d+\$)?[-+ #0]*(\d+|\*)?(\.\d+)?(hh|h|ll|l|L|z|j|t|I64)?[a-zA-Z%]|\$\{?\w+\}?|_(?=\w)|\\n|&")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _FORMAT.sub(" ", text)).strip()


def gettext_texts(per_language: int, langs=LANGS) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    english: set[str] = set()
    for lang in langs:
        if lang == "en":
            continue
        texts = set()
        for loc in LOCALE_DIRS.get(lang, [lang]):
            for base in (Path("/usr/share/locale") / loc / "LC_MESSAGES", Path("/usr/share/vim/vim90/lang") / loc / "LC_MESSAGES"):
                for name in CATALOGS:
                    mo = base / f"{name}.mo"
                    if not mo.is_file():
                        continue
                    try:
                        with open(mo, "rb") as fh:
                            catalog = gettext.GNUTranslations(fh)._catalog
                    except (UnicodeDecodeError, OSError):  # a few catalogs are not UTF-8: skip them
                        continue
                    for key, value in catalog.items():
                        msgid = key[0] if isinstance(key, tuple) else key
                        if not msgid or not value:
                            continue
                        source, target = _clean(msgid), _clean(value)
                        if len(target) >= MIN_CHARS and target != source:
                            texts.add(target)
                        if len(source) >= MIN_CHARS:
                            english.add(source)
        out[lang] = sorted(texts)
    if "en" in langs:
        out["en"] = sorted(english)
    rng = random.Random(7)
    return {lang: rng.sample(v, min(per_language, len(v))) for lang, v in out.items()}


def news_texts(per_language: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SHARED_BENCH.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                page = json.loads(line)
                lang = page.get("lang")
                if lang in LANGS and page.get("gold_text"):
                    found[lang].extend(p.strip() for p in page["gold_text"].split("\n") if len(p.strip()) >= MIN_CHARS)
    rng = random.Random(7)
    return {lang: rng.sample(v, min(per_language, len(v))) for lang, v in sorted(found.items())}


def run_setup(setup: str, per_language: int) -> dict:
    """One detector set-up on both corpora; prints one JSON line."""
    from normalise.langid import LanguageIdentifier
    from normalise.langid.detector import ALL, get_detector
    from normalise.record import Block
    from normalise.stages import DocumentContext

    corpora = {"gettext": gettext_texts(per_language), "news": news_texts(per_language),
               "unconfigured": gettext_texts(per_language // 3, OTHER_LANGS)}
    if setup == "restricted":
        identifier = LanguageIdentifier(LANGS, guard=None)
    elif setup == "restricted+guard":
        identifier = LanguageIdentifier(LANGS)
    else:
        all_detector = get_detector(ALL)

    def label(texts: list[str]) -> list[str | None]:
        if setup == "all":
            codes = [pairs[0][0] if pairs else None for pairs in all_detector.confidences(texts)]
            return [c if c in LANGS or c is None else "unsupported" for c in codes]
        blocks = [Block(text=t, position=i) for i, t in enumerate(texts)]
        identifier.assign(blocks, DocumentContext(id="bench"))
        return [b.language for b in blocks]

    started = time.perf_counter()
    label(["Warm-up: load the models for Latin script.", "Прогрев моделей для кириллицы и греческого.",
           "Προθέρμανση του μοντέλου για ελληνικά κείμενα.", "预热中文模型以便测量速度和准确度。"])
    load_seconds = time.perf_counter() - started
    result = {"setup": setup, "load_s": load_seconds, "corpora": {}}
    for corpus, by_lang in corpora.items():
        texts = [t for lang in by_lang for t in by_lang[lang]]
        gold = [lang for lang in by_lang for _ in by_lang[lang]]
        started = time.perf_counter()
        predicted = label(texts)
        seconds = time.perf_counter() - started
        per_lang = {}
        for lang in by_lang:
            pairs = [(g, p) for g, p in zip(gold, predicted) if g == lang]
            expected = (lambda p: p == "unsupported") if corpus == "unconfigured" else (lambda p, g=lang: p == g)
            per_lang[lang] = (sum(expected(p) for _, p in pairs), len(pairs))
        result["corpora"][corpus] = {"per_lang": per_lang, "seconds": seconds, "texts": len(texts),
                                     "chars": sum(map(len, texts)),
                                     "unsupported": sum(p == "unsupported" for p in predicted)}
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-language", type=int, default=300)
    ap.add_argument("--setup", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.setup:
        run_setup(args.setup, args.per_language)
        return 0
    results = []
    for setup in ("restricted", "restricted+guard", "all"):
        proc = subprocess.run([sys.executable, __file__, "--setup", setup, "--per-language", str(args.per_language)],
                              capture_output=True, text=True, check=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    for corpus in ("gettext", "news", "unconfigured"):
        langs = list(results[0]["corpora"][corpus]["per_lang"])
        counts = {l: results[0]["corpora"][corpus]["per_lang"][l][1] for l in langs}
        what = "Share marked unsupported (guard recall)" if corpus == "unconfigured" else "Accuracy"
        print(f"\n### {what} on {corpus} text (texts per language: "
              + ", ".join(f"{l} {counts[l]}" for l in langs) + ")\n")
        print("| set-up | " + " | ".join(langs) + " | all | marked unsupported |")
        print("|---|" + "---|" * (len(langs) + 2))
        for r in results:
            c = r["corpora"][corpus]
            cells = [f"{c['per_lang'][l][0] / max(1, c['per_lang'][l][1]):.3f}" for l in langs]
            right = sum(v[0] for v in c["per_lang"].values())
            print(f"| {r['setup']} | " + " | ".join(cells) + f" | {right / c['texts']:.3f} | {c['unsupported']} |")
    print("\n### Speed and memory\n")
    print("| set-up | first use (load) s | texts/s | chars/s | peak RSS MB |")
    print("|---|---|---|---|---|")
    for r in results:
        texts = sum(c["texts"] for c in r["corpora"].values())
        chars = sum(c["chars"] for c in r["corpora"].values())
        secs = sum(c["seconds"] for c in r["corpora"].values())  # all three corpora
        print(f"| {r['setup']} | {r['load_s']:.2f} | {texts / secs:,.0f} | {chars / secs:,.0f} | {r['peak_rss_mb']:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
