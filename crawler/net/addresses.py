"""Which IP addresses a crawler must not connect to: the rule lives in normalise/net_guard.py,
shared with the normaliser's one-off URL input; the address guard and the resolver import it here."""
from __future__ import annotations

from normalise.net_guard import is_private_ip

__all__ = ["is_private_ip"]
