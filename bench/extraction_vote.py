"""Extraction vote (normalise/extract/vote.py): candidate rules measured leave-one-set-out.

1. Collect (cached per set in --cache-dir, resumable page by page): for each page of the
   development sets in ../shared/bench, the normaliser's blocks after the rule passes (text, kind,
   removal reason, the page-level signals the gate may use), trafilatura's main text and comments
   (one `bare_extraction` call: without comments it is the peer the vote uses, with them it is
   `trafilatura.extract`'s default output) and readability-lxml's text, with each one's seconds.
2. Score every candidate VoteRule (--grid full: the vote on every page; outlier: only on pages
   where the two peers agree with each other better than with the normaliser; "off" = the rules
   alone, always first) on every set with the metric of bench/extraction.py, and print the
   leave-one-set-out table of bench/extraction_loso.py: for each set left out, the candidate best on
   the other five is scored on it, beside the rules alone and trafilatura's better setting.
   Peers: "trafnc" (trafilatura.extract, include_comments=False), "trafrec" (the same with
   favor_recall, the production peer), "read" (readability-lxml).
3. --grid gated: the shipped rule on pages where a page-level signal (kept share of the body text,
   share outside the container, share removed by hints, kept characters) passes a threshold; the
   gate is chosen on the other five sets like the rule, and the share of pages voted on is printed.

    nice .venv/bin/python bench/extraction_vote.py --sets naeb --collect-only --cache-dir /tmp/vote-cache
    .venv/bin/python bench/extraction_vote.py --cache-dir /tmp/vote-cache --grid outlier   # score from the caches
    .venv/bin/python bench/extraction_vote.py --cache-dir /tmp/vote-cache --grid gated
    .venv/bin/python bench/extraction_vote.py --limit 60 --cache-dir /tmp/vote-cache --grid full
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import extraction_loso  # noqa: E402  (bench scripts import each other from bench/)
from extraction import (  # noqa: E402
    DEFAULT_BENCH_DIR,
    SETS,
    _KeepLanguageUnknown,
    _NoNames,
    bag_scores,
    snippet_scores,
)

from normalise.extract.vote import (  # noqa: E402
    BODY_KINDS,
    Ballot,
    PeerText,
    VoteRule,
    kept_body_bag,
    normaliser_is_outlier,
    plan,
    tokens,
    voters,
)
from normalise.record import Block  # noqa: E402

SCORED_KINDS = tuple(k for k in BODY_KINDS)  # the body text bench/extraction.py scores (no title, no captions)
_CHUNK = 20


# -- 1. collection --------------------------------------------------------------------------
def _peer_texts(html: str) -> dict:
    import lxml.html
    import readability
    import trafilatura

    out: dict = {}
    start = time.perf_counter()
    try:
        doc = trafilatura.bare_extraction(html, include_comments=True)
        out["traf"] = (doc.text or "") if doc is not None else ""
        out["traf_comments"] = (doc.comments or "") if doc is not None else ""
    except Exception:
        out["traf"], out["traf_comments"] = None, ""
    out["traf_s"] = time.perf_counter() - start
    start = time.perf_counter()
    try:
        summary = readability.Document(html).summary(html_partial=True)
        out["read"] = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    except Exception:
        out["read"] = None
    out["read_s"] = time.perf_counter() - start
    return out


def _page_signals(blocks: list[Block]) -> dict:
    """Page-level facts the normaliser already has, candidates for the gate."""
    from normalise.extract.hints import get_hints
    body = [b for b in blocks if b.kind in SCORED_KINDS]
    total = sum(len(b.text) for b in body) or 1
    kept = sum(len(b.text) for b in body if b.kept)
    outside = sum(len(b.text) for b in body if b.removed == "outside_article")
    hinted = sum(len(b.text) for b in body if b.removed and b.removed != "outside_article")
    in_main = [b for b in body if (get_hints(b) or None) is not None and get_hints(b).in_main]  # type: ignore[union-attr]
    return {"kept_share": kept / total, "outside_share": outside / total, "hinted_share": hinted / total,
            "kept_chars": kept, "main_blocks": len(in_main)}


def _trafilatura_peer(**options):
    def run(html: str) -> str | None:
        import trafilatura
        try:
            return trafilatura.extract(html, **options) or ""
        except Exception:
            return None
    return run


# Further peers, each cached in its own file: trafilatura as the production peer calls it
# (normalise/extract/peers.py), and its recall- and precision-leaning settings.
EXTRA_PEERS = {"trafnc": _trafilatura_peer(include_comments=False),
               "trafrec": _trafilatura_peer(include_comments=False, favor_recall=True),
               "trafprec": _trafilatura_peer(include_comments=False, favor_precision=True)}


def _read_cache(path: Path) -> dict[str, dict]:
    cached: dict[str, dict] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except ValueError:  # cut by an interrupted run: that page runs again
                continue
            cached[row["id"]] = row
    return cached


def _extra_peer(cache: dict[str, dict], out, peer: str, row: dict) -> dict:
    page_id = str(row["id"])
    if page_id not in cache:
        start = time.perf_counter()
        text = EXTRA_PEERS[peer](row["html"])
        cache[page_id] = {"id": page_id, "text": text, "seconds": time.perf_counter() - start}
        out.write(json.dumps(cache[page_id], ensure_ascii=False) + "\n")
        out.flush()
    return cache[page_id]


def collect_set(name: str, bench_dir: Path, cache_dir: Path, limit: int | None,
                extra: tuple[str, ...] = tuple(EXTRA_PEERS)) -> list[dict]:
    """Pages of one set, from the caches where present; new pages are appended to them as they run."""
    from normalise import InputDocument, Normaliser, NormaliserConfig
    from normalise.boilerplate import BoilerplateRemover

    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{name}.vote.jsonl"
    cached = _read_cache(path)
    extra_caches = {peer: _read_cache(cache_dir / f"{name}.{peer}.jsonl") for peer in extra}
    extra_out = {peer: (cache_dir / f"{name}.{peer}.jsonl").open("a", encoding="utf-8") for peer in extra}
    normaliser = Normaliser(NormaliserConfig(translate=False), langid=_KeepLanguageUnknown(), names=_NoNames(),
                            boilerplate=BoilerplateRemover())
    pages: list[dict] = []
    with gzip.open(bench_dir / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh, path.open("a", encoding="utf-8") as out:
        rows = (json.loads(line) for line in fh)
        for row in itertools.islice(rows, limit):
            page_id = str(row["id"])
            if page_id not in cached:
                cached[page_id] = _collect_page(normaliser, InputDocument, row)
                out.write(json.dumps(cached[page_id], ensure_ascii=False) + "\n")
                out.flush()
            page = cached[page_id]
            for peer in extra:
                entry = _extra_peer(extra_caches[peer], extra_out[peer], peer, row)
                page[peer], page[peer + "_s"] = entry["text"], entry["seconds"]
            page["gold"] = ({"text": row["gold_text"]} if "gold_text" in row
                            else {"with": row.get("with") or [], "without": row.get("without") or []})
            pages.append(page)
    for fh in extra_out.values():
        fh.close()
    return pages


def _collect_page(normaliser, input_document, row: dict) -> dict:
    url = row["url"] if str(row.get("url") or "").startswith("http") else None
    start = time.perf_counter()
    record = normaliser.normalise(input_document(id=str(row["id"]), html=row["html"], url=url))
    seconds = time.perf_counter() - start
    page = {"id": str(row["id"]), "norm_s": seconds,
            "blocks": [[b.text, b.kind, b.removed] for b in record.blocks],
            "signals": _page_signals(record.blocks)}
    page.update(_peer_texts(row["html"]))
    return page


PEER_SETS = (("trafnc", "read"), ("trafrec", "read"), ("trafnc",), ("trafrec",), ("read",),
             ("trafnc", "trafrec", "read"))
MARGINS = (0.0, 0.05, 0.1, 0.2)


# -- 2. scoring -----------------------------------------------------------------------------
PEERS = ("traf", "read", *EXTRA_PEERS)


@dataclass
class Prepared:
    """A collected page ready for scoring many rules: blocks, and every peer's support for each
    body block (computed once; a rule only compares them with its thresholds)."""

    gold: dict
    signals: dict
    blocks: list[Block]
    ballots: list[Ballot | None]
    peer_sizes: dict[str, int]
    kept_tokens: int
    outlier: dict[tuple[tuple[str, ...], float], bool]  # (peers, margin) -> the normaliser is the odd one out


def prepare(page: dict) -> Prepared:
    blocks = [Block(text=t, kind=k, position=i, removed=r) for i, (t, k, r) in enumerate(page["blocks"])]
    texts = {p: PeerText.of(p, page[p]) for p in PEERS if page[p] is not None}
    ballots: list[Ballot | None] = []
    for b in blocks:
        if b.kind in BODY_KINDS:
            toks = tokens(b.text)
            ballots.append(Ballot(len(toks), {n: t.support(toks) for n, t in texts.items()}))
        else:
            ballots.append(None)
    kept = kept_body_bag(blocks)
    outlier = {(peers, m): normaliser_is_outlier(kept, [texts[n] for n in peers if n in texts], m)
               for peers in PEER_SETS for m in MARGINS}
    return Prepared(page["gold"], page["signals"], blocks, ballots, {n: t.size for n, t in texts.items()},
                    kept.total(), outlier)


def voted_text(page: Prepared, rule: VoteRule | None, peers: tuple[str, ...] = ("trafnc", "read")) -> str:
    """The body text bench/extraction.py scores, after the vote (vote.plan, as production applies it)."""
    names = voters({p: s for p, s in page.peer_sizes.items() if p in peers}, page.kept_tokens, rule) if rule else []
    if rule is not None and rule.outlier_margin is not None and (
            len(names) < 2 or not page.outlier[(peers, rule.outlier_margin)]):
        names = []  # as production: a page where the normaliser is not the odd one out is left alone
    kept = [b.kept for b in page.blocks]
    if rule is not None:
        for i, action, _ in plan(page.blocks, page.ballots, names, rule):
            kept[i] = action == "restored"
    return "\n\n".join(b.text for b, k in zip(page.blocks, kept, strict=True) if k and b.kind in SCORED_KINDS)


def score_texts(golds: list[dict], texts: list[str]) -> float:
    if golds and "text" not in golds[0]:
        return snippet_scores([(t, g["with"], g["without"]) for t, g in zip(texts, golds, strict=True)])["f1"]
    return bag_scores([(t, g["text"]) for t, g in zip(texts, golds, strict=True)])["f1"]


def best_trafilatura(pages: list[dict]) -> float:
    """The better of trafilatura.extract's default (main text and comments) and include_comments=False."""
    default = ["\n".join(x for x in (p["traf"] or "", p["traf_comments"]) if x) for p in pages]
    golds = [p["gold"] for p in pages]
    return max(score_texts(golds, [p["trafnc"] or "" for p in pages]), score_texts(golds, default))


Gate = tuple[str, bool, float]  # (page signal, vote when below the threshold? else above, threshold)


@dataclass(frozen=True)
class Candidate:
    rule: VoteRule
    peers: tuple[str, ...]
    gate: Gate | None = None

    def votes_on(self, page: Prepared) -> bool:
        if self.gate is None:
            return True
        signal, below, threshold = self.gate
        value = page.signals[signal]
        return value < threshold if below else value > threshold


GATES: tuple[Gate, ...] = tuple(
    [("kept_share", True, t) for t in (0.3, 0.5, 0.7, 0.9)] + [("kept_share", False, t) for t in (0.3, 0.5, 0.7)]
    + [("outside_share", False, t) for t in (0.1, 0.3, 0.5)] + [("hinted_share", False, t) for t in (0.05, 0.1, 0.2)]
    + [("kept_chars", True, t) for t in (1000, 2000, 4000)] + [("kept_chars", False, t) for t in (2000, 4000, 8000)])


def _rule_label(rule: VoteRule, peers: tuple[str, ...]) -> str:
    kind = "drop" if rule.drop else "restore"
    if rule.outlier_margin is not None:
        kind = (f"outlier>{rule.outlier_margin} keep={'all' if rule.keep_needs_all else 'any'}"
                f"{' +restore' if rule.restore else ''}")
    return (f"{kind}{' edges' if rule.edges_only else ''} {'+'.join(peers)} share={rule.agree_share} "
            f"min_tokens={rule.min_tokens}")


def candidates(grid: str) -> dict[str, Candidate | None]:
    """Label -> candidate; "off" (the rules alone) first. A block is dropped when none of the peers
    has it, restored (where tried) when all of them have it. "gated": the vote on some pages only,
    for a few rules (those the ungated grid favours) and every gate in GATES."""
    out: dict[str, Candidate | None] = {"off": None}
    if grid == "outlier":
        for margin, peers, keep_all, restore, share in itertools.product(
                MARGINS, (("trafnc", "read"), ("trafrec", "read")), (False, True), (False, True), (0.3, 0.5, 0.7)):
            rule = VoteRule(agree_share=share, restore=restore, keep_needs_all=keep_all, outlier_margin=margin)
            out[f"outlier>{margin} {'+'.join(peers)} keep={'all' if keep_all else 'any'}"
                f"{' +restore' if restore else ''} share={share}"] = Candidate(rule, peers)
        return out
    if grid == "gated":  # the rule the outlier grid chose, on the pages each gate picks
        rule, peers = VoteRule(agree_share=0.7, restore=True, outlier_margin=0.1), ("trafrec", "read")
        for gate in GATES:
            out[f"{_rule_label(rule, peers)} if {gate[0]} {'<' if gate[1] else '>'} {gate[2]}"] = Candidate(rule, peers, gate)
        return out
    shares = (0.3, 0.5, 0.7) if grid == "full" else (0.5,)
    for share, peers, edges, min_tokens in itertools.product(shares, PEER_SETS, (False, True), (1, 5)):
        rule = VoteRule(agree_share=share, drop=True, restore=False, min_tokens=min_tokens, edges_only=edges)
        out[_rule_label(rule, peers)] = Candidate(rule, peers)
    for share in shares:  # restoring lost everywhere with two peers: tried once more with three
        rule = VoteRule(agree_share=share, drop=False, restore=True, min_tokens=5)
        peers = ("trafnc", "trafrec", "read")
        out[_rule_label(rule, peers)] = Candidate(rule, peers)
    return out


def score_grid(pages_by_set: dict[str, list[Prepared]], grid: dict[str, Candidate | None]
               ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """F1 per candidate and set, and the share of pages each candidate voted on."""
    scores: dict[str, dict[str, float]] = {label: {} for label in grid}
    voted: dict[str, dict[str, float]] = {label: {} for label in grid}
    for name, pages in pages_by_set.items():
        golds = [p.gold for p in pages]
        for label, cand in grid.items():
            on = [cand is not None and cand.votes_on(p) for p in pages]
            texts = [voted_text(p, cand.rule if cand is not None and v else None, cand.peers if cand else ())
                     for p, v in zip(pages, on, strict=True)]
            scores[label][name] = score_texts(golds, texts)
            voted[label][name] = sum(on) / len(pages) if pages else 0.0
    return scores, voted


def speed_table(pages_by_set: dict[str, list[dict]]) -> list[str]:
    lines = ["", "Seconds per page during collection (same process, one after the other; rough):", "",
             "| set | normaliser | trafilatura | readability | normaliser + both |", "|---|---|---|---|---|"]
    for name, pages in pages_by_set.items():
        n = len(pages)
        norm = sum(p["norm_s"] for p in pages) / n
        traf = sum(p["traf_s"] for p in pages) / n
        read = sum(p["read_s"] for p in pages) / n
        lines.append(f"| {name} | {norm * 1000:.0f} ms | {traf * 1000:.0f} ms | {read * 1000:.0f} ms | "
                     f"{(norm + traf + read) * 1000:.0f} ms |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/vote-cache"))
    parser.add_argument("--grid", choices=("small", "full", "gated", "outlier"), default="full",
                        help="candidate rules: small (share 0.5), full, or gated (a few rules on some pages only)")
    parser.add_argument("--collect-only", action="store_true", help="fill the cache and exit (one set per process)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    names = [s for s in args.sets.split(",") if s]
    pages_by_set = {n: collect_set(n, args.bench_dir, args.cache_dir, args.limit) for n in names}
    if args.collect_only:
        return 0
    grid = candidates(args.grid)
    prepared = {n: [prepare(p) for p in pages] for n, pages in pages_by_set.items()}
    scores, voted = score_grid(prepared, grid)
    best_traf = {n: best_trafilatura(p) for n, p in pages_by_set.items()}
    print("\n".join(extraction_loso.report(scores, names, best_traf)))
    chosen = dict.fromkeys(r.chosen for r in extraction_loso.leave_one_out(scores, names))
    print("\nShare of pages voted on, for the candidates chosen above:\n")
    print("| candidate | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for label in chosen:
        print(f"| {label} | " + " | ".join(f"{voted[label][n]:.2f}" for n in names) + " |")
    print("\n".join(speed_table(pages_by_set)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
