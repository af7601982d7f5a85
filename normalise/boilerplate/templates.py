"""Site templates: blocks that recur across pages of one source are chrome, whatever their language.

The crawler feeds the block texts of pages it has already stored for a source into
`learn_site_templates`; the fingerprints it returns go into `InputDocument.template_hashes`
(and so `DocumentContext.template_hashes`), where the boilerplate remover drops any kept block
whose `block_fingerprint` is among them, with reason "site_template".
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+")


# Memoised: a source's chrome blocks (menus, footers, share bars) recur on every page, and the
# crawl fingerprints every block of every stored page. Least recently used texts leave first.
@functools.lru_cache(maxsize=1 << 16)
def block_fingerprint(text: str) -> str:
    """Stable 16-hex-digit fingerprint of a block's text.

    Case, Unicode form, punctuation, symbols, spacing and digits are ignored, so
    "© 2024 Example Media." and "2025 EXAMPLE media" share a fingerprint; different words never
    do. It is BLAKE2b (8 bytes) of that normalised text, so it is the same across runs,
    processes and machines.
    """
    norm = unicodedata.normalize("NFKC", text).casefold()
    norm = _DIGITS.sub("0", norm)
    norm = _NON_WORD.sub(" ", norm).strip()
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class LearnedBlock:
    fingerprint: str
    example: str  # one text the fingerprint was learned from (shortened)
    pages: int  # pages of the source it occurs on
    share: float  # pages / pages examined


@dataclass
class TemplateReport:
    pages: int  # pages examined
    min_pages: int
    min_share: float
    learned: list[LearnedBlock] = field(default_factory=list)

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(b.fingerprint for b in self.learned)

    def describe(self) -> str:
        """Human-readable summary of what was learned, one line per template block."""
        head = (f"{len(self.learned)} template block(s) learned from {self.pages} page(s) "
                f"(needs >= {self.min_pages} pages and >= {self.min_share:.0%} of pages)")
        if self.pages < self.min_pages:
            head += f"; too few pages to learn anything (have {self.pages}, need {self.min_pages})"
        lines = [head]
        for b in self.learned:
            lines.append(f"  {b.fingerprint}  {b.pages}/{self.pages} pages ({b.share:.0%})  {b.example!r}")
        return "\n".join(lines)


def learn_site_templates(pages: Iterable[list[str]], min_pages: int = 3, min_share: float = 0.5) -> TemplateReport:
    """Learn the chrome of one source from the block texts of its stored pages.

    Input: one list of block texts per page, all pages from the same source (any languages;
    e.g. the `text` of every block of each stored record, kept or removed). Output: a
    TemplateReport whose `fingerprints` are the blocks found on at least `min_pages` pages and
    on at least `min_share` of all pages examined (a block counts once per page), with an
    example text and counts for each, and `describe()` for logs. A block unique to one page
    (article text) is never learned, and nothing is learned from fewer than `min_pages` pages.
    """
    if min_pages < 2:
        raise ValueError("min_pages must be at least 2: a block seen on one page is not a template")
    if not 0 < min_share <= 1:
        raise ValueError("min_share must be in (0, 1]")
    counts: Counter = Counter()
    examples: dict[str, str] = {}
    n_pages = 0
    for page in pages:
        n_pages += 1
        seen = set()
        for text in page:
            if not text or not text.strip():
                continue
            fp = block_fingerprint(text)
            if fp in seen:
                continue
            seen.add(fp)
            counts[fp] += 1
            examples.setdefault(fp, " ".join(text.split())[:80])
    report = TemplateReport(pages=n_pages, min_pages=min_pages, min_share=min_share)
    if n_pages < min_pages:
        return report
    for fp, n in counts.most_common():
        if n >= min_pages and n / n_pages >= min_share:
            report.learned.append(LearnedBlock(fp, examples[fp], n, n / n_pages))
    return report
