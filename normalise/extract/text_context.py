"""Second-pass features of the line classifier: what the first pass thinks of a line's surroundings.

An article in a text copy is mostly one contiguous run of lines, with chrome before and after it.
A line's own features cannot see that run; the first pass's probabilities of its neighbours can.
A short paragraph between two confident article lines is probably article text, and a menu line
far above the first confident article line probably is not. These features turn the first-pass
probabilities of a page into such context, one row per line, in CONTEXT_NAMES order.
"""
from __future__ import annotations

import math
from itertools import accumulate

from normalise.extract.text_lines import FEATURE_NAMES
from normalise.record import Block

_TOKENS = FEATURE_NAMES.index("log_tokens")
_REMOVED = FEATURE_NAMES.index("removed_by_rule")
_REVISABLE = FEATURE_NAMES.index("dropped_after_end_marker")
_OWN = ("log_tokens", "ends_sentence", "stop_share", "heading", "prose", "removed_by_rule",
        "dropped_after_end_marker", "relative_position", "capitalised_share", "separators")
_OWN_AT = [FEATURE_NAMES.index(name) for name in _OWN]
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_CONFIDENT = 0.5
_WINDOWS = (2, 5, 10)
# Rule drops that say a line is a copy or a mark of the story itself, not page chrome: a photo caption
# repeated under the picture, the title again above the text, a dateline or credit. They sit inside
# the story, so the context pass looks past them instead of reading them as chrome.
# A source line, byline or author bio follows the story's last paragraph: it is no sign of the page's
# end either, so those drops are looked past too (else that paragraph reads as chrome's neighbour).
SEE_THROUGH_REASONS = frozenset({"duplicate_caption", "duplicate_title", "photo_credit", "dateline",
                                 "source_attribution", "byline", "author_bio"})

CONTEXT_NAMES = (
    ["p_self"]
    + [f"p{o:+d}" for o in _OFFSETS]
    + [f"p_mean_{w}" for w in _WINDOWS]
    + [f"p_token_mean_{w}" for w in _WINDOWS]
    + ["p_max_before", "p_max_after", "inside_confident_run", "log_lines_to_confident_before",
       "log_lines_to_confident_after", "article_mass_before", "article_mass_after", "page_mean_p"]
    + [f"own_{name}" for name in _OWN]
)


def dropped_for_good(row: list[float]) -> bool:
    """A line a rule dropped for good: chrome (or skipped) for the context pass, whatever the first pass says,
    so its first-pass probability is never needed."""
    return bool(row[_REMOVED]) and not row[_REVISABLE]


def _effective(rows: list[list[float]], first: list[float]) -> list[float]:
    return [0.0 if dropped_for_good(row) else p for row, p in zip(rows, first, strict=False)]


def _distances(confident: list[bool]) -> tuple[list[int], list[int]]:
    """Lines to the nearest confident line above (before) and below (after); len+1 when there is none."""
    n = len(confident)
    before, after = [n + 1] * n, [n + 1] * n
    last = None
    for i in range(n):
        if last is not None:
            before[i] = i - last
        if confident[i]:
            last = i
    last = None
    for i in range(n - 1, -1, -1):
        if last is not None:
            after[i] = last - i
        if confident[i]:
            last = i
    return before, after


def see_through(blocks: list[Block], revisable: list[bool]) -> list[bool]:
    """The lines the context pass skips: dropped for good by a rule that marks them as part of the story."""
    return [not b.kept and b.removed in SEE_THROUGH_REASONS and not flag
            for b, flag in zip(blocks, revisable, strict=True)]


def context_features(rows: list[list[float]], first: list[float],
                     skip: list[bool] | None = None) -> list[list[float]]:
    """One CONTEXT_NAMES row per line, from the lines' first-pass feature rows and probabilities.

    Lines flagged in `skip` (see_through) are left out of every window and distance, as if the page
    did not have them; their own row repeats the context of the next line that is not skipped (they
    are never decided)."""
    if not skip or not any(skip):
        return _rows(rows, first)
    present = [i for i, s in enumerate(skip) if not s]
    if not present:
        return _rows(rows, first)
    sub = _rows([rows[i] for i in present], [first[i] for i in present])
    out: list[list[float]] = [[]] * len(rows)
    for j, i in enumerate(present):
        out[i] = sub[j]
    following = sub[-1]
    for i in range(len(rows) - 1, -1, -1):
        if skip[i]:
            out[i] = following
        else:
            following = out[i]
    return out


def _rows(rows: list[list[float]], first: list[float]) -> list[list[float]]:
    n = len(rows)
    if n == 0:
        return []
    p = _effective(rows, first)
    tokens = [math.expm1(row[_TOKENS]) for row in rows]
    mass = [pi * t for pi, t in zip(p, tokens, strict=False)]
    cum_mass = [0.0, *accumulate(mass)]
    cum_p = [0.0, *accumulate(p)]
    cum_tokens = [0.0, *accumulate(tokens)]
    total_mass = cum_mass[-1] or 1.0
    max_before = [0.0, *accumulate(p, max)]
    max_after = [*accumulate(reversed(p), max)][::-1] + [0.0]
    confident = [pi >= _CONFIDENT for pi in p]
    before, after = _distances(confident)
    page_mean = cum_p[-1] / n
    out = []
    for i in range(n):
        row = [p[i]] + [p[i + o] if 0 <= i + o < n else 0.0 for o in _OFFSETS]
        for w in _WINDOWS:
            lo, hi = max(0, i - w), min(n, i + w + 1)
            row.append((cum_p[hi] - cum_p[lo]) / (hi - lo))
        for w in _WINDOWS:
            lo, hi = max(0, i - w), min(n, i + w + 1)
            row.append((cum_mass[hi] - cum_mass[lo]) / max(cum_tokens[hi] - cum_tokens[lo], 1.0))
        row += [max_before[i], max_after[i + 1], float(confident[i] or (before[i] <= n and after[i] <= n)),
                math.log1p(before[i]), math.log1p(after[i]),
                cum_mass[i] / total_mass, (total_mass - cum_mass[i + 1]) / total_mass, page_mean]
        row += [rows[i][k] for k in _OWN_AT]
        out.append(row)
    return out
