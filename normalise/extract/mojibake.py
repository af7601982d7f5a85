"""Repair text that reached us already decoded with the wrong charset (mojibake).

A scraper that reads a GB2312 page as Latin-1, or a UTF-8 page as cp1252, hands over a str such as
"¡¡ÓÐµÀÊÇÀúÊ·" or "Ã©tÃ©": the bytes survive, read as the wrong characters. Encoding the str back
with the single-byte charset it was read as gives the page's bytes again, and decoding those with
the charset they were written in gives the text. A candidate pair is accepted only when that
decoding replaces almost no bytes and charset-normalizer's mess ratio (its measure of implausible
character sequences) of the result is a fraction of the input's: legitimate French, German or
Russian text re-decoded as GB18030 often decodes too, but into a mess, and is left alone.
ftfy repairs UTF-8 read as cp1252 only; pages in GB2312, Big5, Shift JIS or EUC-KR read as a
single-byte charset need the other pairs too, so the search is done here.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Charsets a wrongly configured scraper reads bytes as (they decode any byte, or nearly).
READ_AS = ("cp1252", "latin-1", "cp1251", "ptcp154", "cp1250", "iso8859-2", "iso8859-5", "koi8-r",
           "cp1253", "cp1254")
# Charsets the bytes were written in.
WRITTEN_IN = ("utf-8", "gb18030", "big5", "shift_jis", "euc-kr", "euc-jp")
MIN_NON_ASCII = 20  # fewer non-ASCII characters say too little to judge
SAMPLE_CHARS = 16_000  # the decision is made on this much text from the first non-ASCII character on
MAX_REPLACED = 0.02  # bytes the repair may fail to decode, as a share of the sample's non-ASCII characters
MIN_MESS = 0.1  # the input must read as a mess at all (charset-normalizer's mess ratio)...
MESS_FACTOR = 4.0  # ...and the repair must be this many times cleaner
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Repair:
    text: str
    read_as: str
    written_in: str

    def warning(self) -> str:
        return (f"mojibake repaired: the text was {self.written_in} read as {self.read_as}; "
                f"re-read as {self.written_in}")


def _sample(text: str) -> str:
    first = _NON_ASCII.search(text)
    return text[first.start():first.start() + SAMPLE_CHARS] if first else ""


def _c1_as_bytes(error: UnicodeError) -> tuple[str | bytes, int]:
    """Encode error handler: C1 control characters back to their bytes. A scraper reading bytes as
    windows-1252 the way browsers do gives the five bytes cp1252 leaves undefined as C1 controls."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start:error.end]
    if all(0x80 <= ord(ch) <= 0x9F for ch in chunk):
        return bytes(ord(ch) for ch in chunk), error.end
    raise error


codecs.register_error("mojibake-c1", _c1_as_bytes)


def _as_bytes(text: str, read_as: str) -> bytes | None:
    """The bytes `text` was read from as `read_as`, None when it holds a character that charset lacks. A
    replacement character (the reader gave up on a byte) stands for one lost byte."""
    try:
        return text.replace("\ufffd", "?").encode(read_as, errors="mojibake-c1")
    except UnicodeEncodeError:
        return None


def _candidates(sample: str, non_ascii: int) -> list[tuple[str, str, str]]:
    """(read_as, written_in, repaired sample) of every pair whose repair leaves few bytes undecoded."""
    out, tried = [], set()
    allowed = MAX_REPLACED * non_ascii + 2 * sample.count("\ufffd")  # a lost byte breaks its character
    for read_as in READ_AS:
        raw = _as_bytes(sample, read_as)
        if raw is None or raw in tried:  # cp1252 and latin-1 give the same bytes for most text
            continue
        tried.add(raw)
        for written_in in WRITTEN_IN:
            fixed = raw.decode(written_in, errors="replace")
            if fixed.count("\ufffd") <= allowed:
                out.append((read_as, written_in, fixed))
    return out


def repair_mojibake(text: str) -> Repair | None:
    """The repaired text when `text` is mojibake of a page in another charset, else None."""
    sample = _sample(text)
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    if non_ascii < MIN_NON_ASCII:
        return None
    candidates = _candidates(sample, non_ascii)
    if not candidates:
        return None
    from charset_normalizer.md import mess_ratio  # (only text that re-decodes cleanly gets here)

    before = mess_ratio(sample, maximum_threshold=1.0)
    if before < MIN_MESS:  # legitimate text often re-decodes too (GB18030 takes nearly any bytes)
        return None
    mess, read_as, written_in = min((mess_ratio(fixed, maximum_threshold=1.0), read_as, written_in)
                                    for read_as, written_in, fixed in candidates)
    if mess * MESS_FACTOR > before:
        return None
    raw = _as_bytes(text, read_as)
    if raw is None:  # past the sample a character the charset lacks: not one misreading
        return None
    return Repair(raw.decode(written_in, errors="replace"), read_as, written_in)
