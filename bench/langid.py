"""Language identification benchmark: accuracy, speed and memory for the configured languages.

    .venv/bin/python bench/langid.py [--per-language 300] [--pages 1000]

Real text used (lingua's own test data is not in the installed wheel, and the lingua
repositories' test sets are not on this machine):
- "gettext": human translations of software messages shipped in /usr/share/locale
  (*.mo of postgres, glib, coreutils, bash, apt, gtk, libc, ...) and vim; the English
  side is the msgid. Messages of 40+ characters after removing %-formats.
- "news": paragraphs (40+ characters) of the gold text of the extraction benchmark pages
  in ../shared/bench, by their `lang` field (only de, en, es, fr, it, pt, zh are there).
- Each corpus also reports the share of its documents that asked lingua anything (the rest
  were settled by script, cue letters or function words).
- "news pages": the same pages as documents (all their gold paragraphs as blocks, so the
  document-level rules apply), paragraphs of 40+ characters scored against the page's `lang`.
- "short texts in pages of their language": gettext messages of SHORT_TEXT_CHARS characters
  (shorter than a long block), each the last block of a page whose other blocks are three long
  messages of the same language: the short-block rule (take the page's language unless the
  block shows another language's cues) with the page's language found by the usual rules.
- "unconfigured": gettext translations in languages outside the configured set, each as its
  own document, and each inserted as one paragraph in the middle of an English news page.
- Pipeline timing: LanguageIdentifier.assign inside the real normaliser (translation off) on the
  ../shared/bench pages, per page, after the models are loaded (the normaliser loads them when
  it is built) and with the answer cache emptied between sets. Also the share of pages that ask
  lingua anything (a first page like them has to load lingua's models), and of pages that ask it
  in high-accuracy mode about a text under LINGUA_SHORT_TEXT characters (one lingua's trigrams did
  not settle in the page's language), for which lingua uses (and loads) the n-gram models of
  every size, not trigrams only (seconds for the six Latin-script languages).
In the gettext/news/unconfigured rows each text is a document of its own, so the guard and the
short-block rule see no neighbours. Each set-up runs in its own process so its memory (peak
RSS) is its own.
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
from collections import Counter, defaultdict
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
SHORT_TEXT_CHARS = (10, MIN_CHARS)
LINGUA_SHORT_TEXT = 120  # lingua's high-accuracy mode scores shorter texts with every n-gram size
_FORMAT = re.compile(r"%(\d+\$)?[-+ #0]*(\d+|\*)?(\.\d+)?(hh|h|ll|l|L|z|j|t|I64)?[a-zA-Z%]|\$\{?\w+\}?|_(?=\w)|\\n|&")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _FORMAT.sub(" ", text)).strip()


def gettext_texts(per_language: int, langs=LANGS, chars: tuple[int, int] = (MIN_CHARS, 1 << 30)) -> dict[str, list[str]]:
    """Up to `per_language` messages per language whose length (after cleaning) is in [chars[0], chars[1])."""
    low, high = chars
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
                        if low <= len(target) < high and target != source:
                            texts.add(target)
                        if low <= len(source) < high:
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


def news_pages(limit: int) -> list[tuple[str, list[str]]]:
    """Real documents: each bench page's gold paragraphs (all lengths) with the page's `lang`."""
    pages = []
    for path in sorted(SHARED_BENCH.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                page = json.loads(line)
                if page.get("lang") in LANGS and page.get("gold_text"):
                    paras = [p.strip() for p in page["gold_text"].split("\n") if p.strip()]
                    if paras:
                        pages.append((page["lang"], paras))
    return random.Random(7).sample(pages, min(limit, len(pages)))


def _recording_identifier(guard):
    """A LanguageIdentifier over LANGS that records, per assign() call (a document), its time and
    what it asked lingua ("lingua", "short text", "guard"), whatever the answer cache held."""
    from normalise.langid import LanguageIdentifier

    class Recording(LanguageIdentifier):
        """Per assign() call: its time and what it asked lingua."""

        def assign(self, blocks, ctx):
            self.asked: set[str] = set()
            started = time.perf_counter()
            try:
                return super().assign(blocks, ctx)
            finally:
                self.spent.append(time.perf_counter() - started)
                self.pages_asked.append(self.asked)

        def _detect(self, candidates, texts, expected=None):
            if len(candidates) > 1 and texts:  # one candidate is answered without lingua
                self.asked.add("lingua")
            answers = super()._detect(candidates, texts, expected)
            if len(candidates) > 1 and any(len(t) < LINGUA_SHORT_TEXT and (expected is None or not pairs or pairs[0][0] != expected)
                                           for t, pairs in zip(texts, answers, strict=True)):
                self.asked.add("short text")  # asked with every n-gram size (trigrams did not settle it)
            return answers

        def _guard_verdicts(self, texts):
            if texts:
                self.asked.update(("lingua", "guard"))
            return super()._guard_verdicts(texts)

    identifier = Recording(LANGS, guard=guard)
    identifier.spent, identifier.pages_asked = [], []
    return identifier


def run_setup(setup: str, per_language: int) -> dict:
    """One detector set-up on every corpus; prints one JSON line."""
    from normalise.langid.detector import ALL, get_detector
    from normalise.record import Block
    from normalise.stages import DocumentContext

    corpora = {"gettext": gettext_texts(per_language), "news": news_texts(per_language),
               "unconfigured": gettext_texts(per_language // 3, OTHER_LANGS)}
    started = time.perf_counter()
    if setup == "restricted":
        identifier = _recording_identifier(None)
    elif setup == "restricted+guard":
        identifier = _recording_identifier("default")
    else:
        all_detector = get_detector(ALL, preload=True)
    load_seconds = time.perf_counter() - started

    def label_each(texts: list[str]) -> list[str | None]:
        """Each text is a document of one block (no help from neighbours)."""
        if setup == "all":
            codes = [pairs[0][0] if pairs else None for pairs in all_detector.confidences(texts)]
            return [c if c in LANGS or c is None else "unsupported" for c in codes]
        out = []
        for i, t in enumerate(texts):
            block = Block(text=t, position=0)
            identifier.assign([block], DocumentContext(id=f"bench-{i}"))
            out.append(block.language)
        return out

    def label_pages(pages: list[list[str]]) -> list[list[str | None]]:
        if setup == "all":
            return [label_each(p) for p in pages]
        out = []
        for i, paras in enumerate(pages):
            blocks = [Block(text=t, position=j) for j, t in enumerate(paras)]
            identifier.assign(blocks, DocumentContext(id=f"page-{i}"))
            out.append([b.language for b in blocks])
        return out

    def documents_done() -> int:
        return 0 if setup == "all" else len(identifier.pages_asked)

    def asking_since(start: int) -> float | None:
        """Share of the documents labelled since `start` that asked lingua (None: lingua labels every text)."""
        if setup == "all":
            return None
        docs = identifier.pages_asked[start:]
        return sum("lingua" in asked for asked in docs) / max(1, len(docs))

    result = {"setup": setup, "load_s": load_seconds, "corpora": {}}
    for corpus, by_lang in corpora.items():
        texts = [t for lang in by_lang for t in by_lang[lang]]
        gold = [lang for lang in by_lang for _ in by_lang[lang]]
        started, start = time.perf_counter(), documents_done()
        predicted = label_each(texts)
        seconds = time.perf_counter() - started
        result["corpora"][corpus] = _score(corpus, by_lang, gold, predicted, texts, seconds)
        result["corpora"][corpus]["asking"] = asking_since(start)
    # News pages as documents (paragraphs of 40+ characters scored against the page language).
    pages = news_pages(10_000)
    start = documents_done()
    labelled = label_pages([paras for _, paras in pages])
    gold, predicted, texts = [], [], []
    for (lang, paras), langs in zip(pages, labelled, strict=False):
        for t, p in zip(paras, langs, strict=False):
            if len(t) >= MIN_CHARS:
                gold.append(lang), predicted.append(p), texts.append(t)
    by_lang = {lang: [t for t, g in zip(texts, gold, strict=False) if g == lang] for lang in sorted(set(gold))}
    result["corpora"]["news pages"] = _score("news pages", by_lang, gold, predicted, texts, 0.0)
    result["corpora"]["news pages"]["asking"] = asking_since(start)
    # Unconfigured text inside English pages: each unconfigured text as one paragraph of an English news page.
    english = [paras for lang, paras in pages if lang == "en" and len(paras) >= 3]
    unconf = corpora["unconfigured"]
    docs, gold, where = [], [], []
    for k, (lang, t) in enumerate((code, t) for code in unconf for t in unconf[code]):
        paras = list(english[k % len(english)])
        where.append(len(paras) // 2)
        paras.insert(where[-1], t)
        docs.append(paras), gold.append(lang)
    start = documents_done()
    labelled = label_pages(docs)
    predicted = [langs[i] for i, langs in zip(where, labelled, strict=False)]
    texts = [paras[i] for i, paras in zip(where, docs, strict=False)]
    result["corpora"]["unconfigured in English pages"] = _score("unconfigured", unconf, gold, predicted, texts, 0.0)
    result["corpora"]["unconfigured in English pages"]["asking"] = asking_since(start)
    start = documents_done()
    short = result["corpora"]["short texts in pages of their language"] = _score_short_in_pages(
        label_pages, corpora["gettext"], gettext_texts(per_language // 3, chars=SHORT_TEXT_CHARS))
    short["asking"] = asking_since(start)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    return result


def _score_short_in_pages(label_pages, long_texts: dict[str, list[str]], short_texts: dict[str, list[str]]) -> dict:
    """Each short text as the last block of a page of three long texts in its language; the short one scored."""
    docs, gold = [], []
    for lang, shorts in short_texts.items():
        longs = long_texts[lang]
        for k, text in enumerate(shorts):
            docs.append([longs[(3 * k + i) % len(longs)] for i in range(3)] + [text])
            gold.append(lang)
    predicted = [langs[-1] for langs in label_pages(docs)]
    return _score("short in pages", short_texts, gold, predicted, [d[-1] for d in docs], 0.0)


def _score(corpus, by_lang, gold, predicted, texts, seconds) -> dict:
    per_lang = {}
    for lang in by_lang:
        pairs = [p for g, p in zip(gold, predicted, strict=False) if g == lang]
        ok = (lambda p: p == "unsupported") if corpus == "unconfigured" else (lambda p, g=lang: p == g)
        per_lang[lang] = (sum(ok(p) for p in pairs), len(pairs))
    return {"per_lang": per_lang, "seconds": seconds, "texts": len(texts), "chars": sum(map(len, texts)),
            "unsupported": sum(p == "unsupported" for p in predicted)}


def run_pipeline(limit: int) -> dict:
    """ms per page spent in LanguageIdentifier.assign inside the real normaliser (translation off)."""
    from normalise import InputDocument, Normaliser, NormaliserConfig
    from normalise.langid.detector import _detectors

    out = {}
    for setup, guard in (("restricted", None), ("restricted+guard", "default")):
        langid = _recording_identifier(guard)
        normaliser = Normaliser(NormaliserConfig(translate=False), langid=langid)
        for path in sorted(SHARED_BENCH.glob("*.jsonl.gz")):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                rows = [json.loads(line) for line, _ in zip(fh, range(limit), strict=False)]
            for detector in _detectors.values():  # no answers remembered from another set
                detector._cache.clear()
            scored = {key: d.texts_scored for key, d in _detectors.items()}
            langid.spent, langid.pages_asked = [], []
            list(normaliser.normalise_many([InputDocument(id=str(r["id"]), html=r["html"]) for r in rows]))
            calls = sum(d.texts_scored - scored.get(key, 0) for key, d in _detectors.items())
            name = path.name.split(".")[0]
            asked = Counter(what for page in langid.pages_asked for what in page)
            out.setdefault(name, {})[setup] = {
                "pages": len(rows), "ms_per_page": 1000 * sum(langid.spent) / len(rows),
                "p95_ms": 1000 * sorted(langid.spent)[int(0.95 * (len(langid.spent) - 1))],
                "lingua_texts_per_page": calls / len(rows),
                "asking": {what: n / len(langid.pages_asked) for what, n in asked.items()}}
    print(json.dumps(out))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-language", type=int, default=300)
    ap.add_argument("--pages", type=int, default=1000, help="pages per bench set for the pipeline timing")
    ap.add_argument("--setup", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.setup == "pipeline":
        run_pipeline(args.pages)
        return 0
    if args.setup:
        run_setup(args.setup, args.per_language)
        return 0

    def child(setup: str) -> dict:
        proc = subprocess.run([sys.executable, __file__, "--setup", setup, "--per-language", str(args.per_language),
                               "--pages", str(args.pages)], capture_output=True, text=True, check=True)
        return json.loads(proc.stdout.strip().splitlines()[-1])

    results = [child(setup) for setup in ("restricted", "restricted+guard", "all")]
    for corpus in results[0]["corpora"]:
        langs = list(results[0]["corpora"][corpus]["per_lang"])
        counts = {l: results[0]["corpora"][corpus]["per_lang"][l][1] for l in langs}
        what = "Share marked unsupported (guard recall)" if "unconfigured" in corpus else "Accuracy"
        print(f"\n### {what} on {corpus} text (texts per language: "
              + ", ".join(f"{l} {counts[l]}" for l in langs) + ")\n")
        print("| set-up | " + " | ".join(langs) + " | all | marked unsupported | documents asking lingua |")
        print("|---|" + "---|" * (len(langs) + 3))
        for r in results:
            c = r["corpora"][corpus]
            cells = [f"{c['per_lang'][l][0] / max(1, c['per_lang'][l][1]):.3f}" for l in langs]
            right = sum(v[0] for v in c["per_lang"].values())
            asking = "all" if c.get("asking") is None else f"{c['asking']:.0%}"
            print(f"| {r['setup']} | " + " | ".join(cells) + f" | {right / max(1, c['texts']):.3f} | {c['unsupported']} "
                  f"| {asking} |")
    print("\n### Speed and memory (texts one by one, each its own document)\n")
    print("| set-up | load s | texts/s | chars/s | peak RSS MB |")
    print("|---|---|---|---|---|")
    for r in results:
        timed = [c for c in r["corpora"].values() if c["seconds"]]
        texts, chars = sum(c["texts"] for c in timed), sum(c["chars"] for c in timed)
        secs = sum(c["seconds"] for c in timed)
        print(f"| {r['setup']} | {r['load_s']:.2f} | {texts / secs:,.0f} | {chars / secs:,.0f} | {r['peak_rss_mb']:,.0f} |")
    pipeline = child("pipeline")
    print("\n### Inside the normaliser: LanguageIdentifier.assign per page (translation off)\n")
    print("| bench set | pages | restricted ms/page | + guard ms/page | + guard p95 ms | lingua texts/page "
          f"| pages asking lingua | of which high accuracy, a text < {LINGUA_SHORT_TEXT} chars | the guard |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in pipeline.items():
        a, b = r["restricted"], r["restricted+guard"]
        asking = [f"{b['asking'].get(what, 0):.0%}" for what in ("lingua", "short text", "guard")]
        print(f"| {name} | {b['pages']} | {a['ms_per_page']:.1f} | {b['ms_per_page']:.1f} | {b['p95_ms']:.1f} | "
              f"{b['lingua_texts_per_page']:.1f} | " + " | ".join(asking) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
