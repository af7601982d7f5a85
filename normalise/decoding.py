"""Bytes to text: honour the declared charset only when it actually decodes the bytes."""
from __future__ import annotations

import re

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)


def _declared(body: bytes, content_type: str | None) -> str | None:
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([\w\-]+)", content_type, re.I)
        if m:
            return m.group(1)
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Return (text, encoding used, warnings). Never raises on undecodable bytes."""
    warnings: list[str] = []
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace"), "utf-8", warnings
    declared = _declared(body, content_type)
    if declared:
        try:
            return body.decode(declared), declared.lower(), warnings
        except (LookupError, UnicodeDecodeError):
            warnings.append(f"declared charset {declared!r} does not decode the body; detected instead")
    try:
        return body.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        return str(best), best.encoding, warnings
    warnings.append("charset could not be detected; undecodable bytes replaced")
    return body.decode("utf-8", errors="replace"), "utf-8", warnings
