"""Refuse requests to private, loopback, link-local or reserved addresses and to non-http(s) URLs.

A public page can redirect to http://169.254.169.254/ or http://10.0.0.5/admin; every request,
redirected or not, passes here. NEWS_ALLOW_PRIVATE_ADDRESSES (tests) or NEWS_PRIVATE_ALLOWLIST
("host:port" entries; the bundled demo site adds its own) let chosen private targets through.
A hostname is resolved here and again at connect time; crawler/net/resolver.py checks that second
answer too, so a name that rebinds to a private address in between is refused as well.
"""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler import defaults
from crawler.net.failures import RefusedRequest
from crawler.runtime import private_allowlist
from normalise.net_guard import ALLOWED_SCHEMES, is_local_name, is_private_ip, literal_ip


def literal_private_refusal(url: str, crawler) -> bool:
    """True when `url` names a private address directly (IP literal or localhost) and neither
    NEWS_ALLOW_PRIVATE_ADDRESSES nor the allowlist lets it through. No DNS lookup."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if crawler.settings.getbool("NEWS_ALLOW_PRIVATE_ADDRESSES") or _allowlisted(parts, crawler):
        return False
    if is_local_name(host):
        return True
    literal = literal_ip(host)
    return literal is not None and is_private_ip(literal)


def allowlist_hint(parts) -> str:
    """How to let one intended private target through (a source on an intranet or on this machine)."""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = 80
    return (f"to crawl it on purpose, add \"{(parts.hostname or '').lower()}:{port}\" to the setting "
            "NEWS_PRIVATE_ALLOWLIST (see seeds/README.md)")


def _allowlisted(parts, crawler) -> bool:
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    return f"{(parts.hostname or '').lower()}:{port}" in private_allowlist(crawler)


class AddressGuardMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("NEWS_ALLOW_PRIVATE_ADDRESSES", defaults.NEWS_ALLOW_PRIVATE_ADDRESSES)
        self._resolved: dict[str, bool] = {}  # host -> resolves to a private address

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        parts = urlsplit(request.url)
        redirected = bool(request.meta.get("redirect_urls"))
        prefix = "redirect_" if redirected else ""
        if parts.scheme not in ALLOWED_SCHEMES:
            raise RefusedRequest(f"{prefix}bad_scheme", f"refused {parts.scheme}: URL {request.url}")
        host = (parts.hostname or "").lower()
        if not host:
            raise RefusedRequest(f"{prefix}bad_url", f"no host in {request.url}")
        if self.allow_private or _allowlisted(parts, self.crawler):
            return None
        if await self._is_private(host):
            raise RefusedRequest(f"{prefix}private_address",
                                 f"refused {request.url}: {host} is a private, loopback or link-local address; "
                                 f"{allowlist_hint(parts)}")
        return None

    async def _is_private(self, host: str) -> bool:
        if is_local_name(host):
            return True
        literal = literal_ip(host)
        if literal:
            return is_private_ip(literal)
        if host not in self._resolved:
            try:
                infos = await maybe_deferred_to_future(deferToThread(socket.getaddrinfo, host, None))
                self._resolved[host] = any(is_private_ip(str(info[4][0]).split("%")[0]) for info in infos)
            except (OSError, UnicodeError):
                return False  # unresolvable: the download itself fails and records dns_error
        return self._resolved[host]
