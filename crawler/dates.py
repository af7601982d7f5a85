"""Dates from feeds, sitemaps, records and the stores: one reading of each format.

`iso_date` turns a feed or sitemap date (RFC 822, W3C/ISO 8601) into an ISO 8601 string;
`aware_datetime` turns an ISO string (or a datetime) into a timezone-aware datetime.
"""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


def aware_datetime(value: str | datetime | None) -> datetime | None:
    """An ISO 8601 date or date-time as an aware datetime (no zone, or a bare date: UTC; a bare
    date is its midnight). None for an empty value or one that is not ISO 8601."""
    if not value:
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def iso_date(value: str | None) -> str | None:
    """ISO 8601 (UTC when the input has a zone), or None when `value` is not a date we can read."""
    if not value:
        return None
    value = " ".join(value.split())[:64]
    if len(value) == 10 and value[4] == "-" and value[7] == "-":  # a bare date stays a date
        try:
            return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
        except ValueError:
            return None
    parsed: datetime | None
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
