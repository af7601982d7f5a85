"""Recognise bodies that are not pages (PDF, images, archives, JSON) before parsing them as HTML."""
from __future__ import annotations

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png image"),
    (b"\xff\xd8\xff", "jpeg image"),
    (b"GIF87a", "gif image"),
    (b"GIF89a", "gif image"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "riff media"),
)


def sniff_non_page(head: bytes) -> str | None:
    """Name of the non-page format `head` starts with, or None when it may be text or HTML."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text with its byte-order mark: NUL bytes are expected (decoding.py reads it)
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()  # a UTF-8 BOM must not hide JSON
    for magic, name in _MAGIC:
        if stripped.startswith(magic):
            return name
    if stripped[:1] in (b"{", b"[") and b"<" not in stripped[:512]:
        return "json"
    sample = head[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 10:
        return "binary data"
    # Text in any charset has next to no C0 control bytes besides whitespace; random or compressed
    # bytes have ~11% of them (29 of 256 values).
    if sample and sum(sample.count(b) for b in _CONTROL_BYTES) > len(sample) // 20:
        return "binary data"
    return None


_CONTROL_BYTES = [bytes([b]) for b in (*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F)]
