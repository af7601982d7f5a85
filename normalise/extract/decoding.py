"""Bytes to text: honour the declared charset only when it actually decodes the bytes.

The charset a page declares (`<meta charset>`, `<meta http-equiv>`, an XML declaration) is read
by Beautiful Soup's `EncodingDetector`; a page that declares none, or a wrong one, is detected
by charset-normalizer.
"""
from __future__ import annotations

import re

_STRAY = re.compile("[\udc80-\udcff]")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w\-]+)", re.I)
_DECLARATION_WINDOW = 4096  # declarations belong in the head; a whole 10 MB page is not searched


def _declared(body: bytes, content_type: str | None) -> str | None:
    """The Content-Type header's charset, else the one the page declares."""
    if content_type:
        header = _HEADER_CHARSET.search(content_type)
        if header:
            return header.group(1)
    from bs4.dammit import EncodingDetector  # (imported for the first page given as bytes: ~0.05 s)

    return EncodingDetector.find_declared_encoding(body[:_DECLARATION_WINDOW], is_html=True)


def _single_byte(charset: str) -> bool:
    name = charset.lower().replace("_", "-")
    return name in ("latin1", "latin-1", "l1", "us-ascii", "ascii") or name.startswith(
        ("iso-8859", "iso8859", "windows-125", "cp125"))


def _stray_byte(match: re.Match[str]) -> str:
    byte = bytes([ord(match.group()) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return byte.decode("latin-1")


def utf8_with_stray_bytes(data: bytes) -> tuple[str, int, int]:
    """UTF-8 with the bytes that are not UTF-8 read as cp1252 (a few stray single-byte characters,
    as a CMS pasting old text into a UTF-8 template leaves): (text, stray bytes, UTF-8 non-ASCII
    characters)."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = len(_STRAY.findall(text))
    valid = len(text) - len(text.encode("ascii", "ignore")) - stray
    return (_STRAY.sub(_stray_byte, text) if stray else text), stray, valid


def _mostly_utf8(body: bytes) -> tuple[str, int] | None:
    """A page that is UTF-8 except for a few stray single-byte (cp1252) characters: (text, stray
    bytes), or None when it is not that. Guessing one charset for the whole page would garble the
    UTF-8 majority instead."""
    text, stray, valid = utf8_with_stray_bytes(body)
    # Legacy multi-byte charsets decode as UTF-8 only by accident: GBK ~0.2, EUC-KR ~0.5 valid per stray byte.
    if not stray or valid < 2 * stray:
        return None
    return text, stray


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Return (text, encoding used, warnings). Never raises on undecodable bytes."""
    warnings: list[str] = []
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace"), "utf-8", warnings
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16", errors="replace"), "utf-16", warnings
    declared = _declared(body, content_type)
    if declared and _single_byte(declared) and not body.isascii():
        # A UTF-8 page served as ISO-8859-1 (a server default) decodes without error as Latin-1,
        # into mojibake. Latin-1 text is valid UTF-8 only by extreme coincidence.
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(f"declared charset {declared!r} but the body is valid UTF-8; read as UTF-8")
            return text, "utf-8", warnings
    if declared:
        try:
            return body.decode(declared), declared.lower(), warnings
        except (LookupError, UnicodeDecodeError):
            warnings.append(f"declared charset {declared!r} does not decode the body; detected instead")
    try:
        return body.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(body)
    if mixed is not None:
        text, stray = mixed
        warnings.append(f"mixed encodings: {stray} byte(s) that are not UTF-8 read as cp1252")
        return text, "utf-8", warnings
    import charset_normalizer  # (only pages that declare no charset that decodes them)

    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        return str(best), best.encoding, warnings
    warnings.append("charset could not be detected; undecodable bytes replaced")
    return body.decode("utf-8", errors="replace"), "utf-8", warnings
