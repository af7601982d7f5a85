"""Other main-text extractors run on the same page, as voters for normalise/extract/vote.py.

trafilatura and readability-lxml are optional (the `vote` extra): `load_peers` raises
`PeerUnavailable`, naming the package and the extra, when one is asked for and not installed.
Each peer returns the page's main text, or "" when it found none or failed on the page (a peer
that fails abstains; the vote never fails a page).
"""
from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

PeerExtractor = Callable[[str], str]

# peer name -> the module it needs (the pip package is named in PeerUnavailable's message)
_MODULES = {"trafilatura": ("trafilatura", "trafilatura"),
            "readability": ("readability", "readability-lxml")}
PEER_NAMES = tuple(_MODULES)


class PeerUnavailable(RuntimeError):
    """An extractor the vote needs is not installed."""


def _import(name: str):
    module, package = _MODULES[name]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise PeerUnavailable(f"the extraction vote needs {package} ({exc}); install it with "
                              f"pip install 'news-ingest[vote]', or turn extraction_vote off") from exc


def _trafilatura(module) -> PeerExtractor:
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # per-page parse complaints: it abstains instead

    def run(html: str) -> str:
        # comments excluded (the normaliser's output and most gold texts leave them out); its
        # recall-leaning setting, which the vote measured best with (docs/extraction.md)
        return module.extract(html, include_comments=False, favor_recall=True) or ""
    return run


def _readability(module) -> PeerExtractor:
    import lxml.html
    logging.getLogger("readability").setLevel(logging.CRITICAL)

    def run(html: str) -> str:
        summary = module.Document(html).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    return run


_FACTORIES = {"trafilatura": _trafilatura, "readability": _readability}


def load_peers(names: tuple[str, ...] = PEER_NAMES) -> dict[str, PeerExtractor]:
    """The named peers, ready to run; PeerUnavailable when one is not installed, ValueError for an unknown name."""
    unknown = [n for n in names if n not in _MODULES]
    if unknown:
        raise ValueError(f"unknown extraction peer(s): {', '.join(unknown)} (known: {', '.join(PEER_NAMES)})")
    return {name: _FACTORIES[name](_import(name)) for name in names}


def run_peers(peers: dict[str, PeerExtractor], html: str) -> dict[str, str | None]:
    """Each peer's main text of the page; None for a peer that raised (it abstains)."""
    out: dict[str, str | None] = {}
    for name, extract in peers.items():
        try:
            out[name] = extract(html)
        except Exception as exc:  # a peer's bug on one page must not cost the page: it abstains, logged
            log.debug("extraction peer %s failed: %s", name, exc)
            out[name] = None
    return out
