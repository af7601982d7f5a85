"""Dates from feeds and sitemaps (RFC 822, W3C/ISO 8601) as ISO 8601 strings."""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


def iso_date(value: str | None) -> str | None:
    """ISO 8601 (UTC when the input has a zone), or None when `value` is not a date we can read."""
    if not value:
        return None
    value = " ".join(value.split())[:64]
    parsed = None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":  # a bare date stays a date
        try:
            return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc)
    return parsed.isoformat()
