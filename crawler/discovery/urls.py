"""URL canonicalisation: one key per article, whatever tracking decorations a link carries."""
from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_EXACT = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid",
    "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ito", "xtor", "at_medium", "at_campaign", "smid",
    "ref_src", "spm", "share", "s_cid", "__twitter_impression",
}
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_")


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING_EXACT or name.startswith(_TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    # Filter the raw "k=v" pieces: decoding and re-encoding would alter values we do not own.
    kept = [piece for piece in parts.query.split("&")
            if piece and not is_tracking_param(unquote_plus(piece.split("=", 1)[0]))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), ""))


def canonical_url(url: str) -> str:
    """Tracking parameters and fragment removed, query sorted, host lower-cased, default port dropped."""
    url = canonicalize_url(strip_tracking(url.strip()), keep_fragments=False)
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    netloc = re.sub(r":(80)$", "", netloc) if parts.scheme == "http" else re.sub(r":(443)$", "", netloc)
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))
