"""Split a site-name suffix (or prefix) off a page title: "Talks stall in Istanbul - FT中文网"."""
from __future__ import annotations

import re
from urllib.parse import urlparse

_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", "_", "｜", " / ")
_BRANDISH = re.compile(r"(\.(com|net|org|co|ru|ua|gr|de|fr|es|it|pt|cn|tv)\b|网|網|报|報|日报|新闻|[A-Z]{2,})")


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def split_site_name(title: str, site_name: str | None = None, url: str | None = None,
                    other_texts: list[str] | None = None) -> tuple[str, str] | None:
    """Return (clean title, site name) when the title carries a site name, else None.

    The piece after the last separator (or before the first) counts as a site name when it is
    the page's declared site name, matches the URL's host, is what remains of a heading that
    repeats the title without it, or is short and brand-like (a domain, capitals, 网/報...).
    """
    host = _squash(urlparse(url).hostname or "") if url else ""
    wanted = _squash(site_name) if site_name else ""
    others = {_squash(t) for t in other_texts or []}
    for sep in _SEPARATORS:
        if sep not in title:
            continue
        left, right = title.rsplit(sep, 1)
        first, rest = title.split(sep, 1)
        for head, tail, suffix in ((left, right, True), (rest, first, False)):
            head, tail = head.strip(), tail.strip()
            if not head or not tail or len(tail) > 40 or len(head) < len(tail):
                continue
            squashed = _squash(tail)
            if not squashed:
                continue
            if (
                (wanted and (squashed == wanted or squashed in wanted or wanted in squashed))
                or (host and squashed in host)
                or _squash(head) in others
                or (suffix and len(tail.split()) <= 3 and len(head.split()) >= 4 and _BRANDISH.search(tail))
            ):
                return head, tail
    return None
