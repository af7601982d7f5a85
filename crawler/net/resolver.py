"""DNS resolver that refuses private addresses at connect time (closes the DNS-rebinding window).

crawler/middlewares/address_guard.py checks a request's host before it is sent, but the download
resolves the name again to connect: a hostname answering a public address to the first lookup and
10.0.0.5 or 169.254.169.254 to the second would get through. This resolver is the one the
download's connection uses (Scrapy's TWISTED_DNS_RESOLVER), so checking its answer checks the
address actually connected to. Same switches as the middleware: NEWS_ALLOW_PRIVATE_ADDRESSES lets
everything through; a host named in NEWS_PRIVATE_ALLOWLIST ("host:port") is let through here (the
port is not known at this layer; the middleware still enforces it). IP literals are the
middleware's alone: they cannot rebind.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.datatypes import LocalCache
from twisted.internet.error import DNSLookupError

from crawler import defaults
from crawler.net.addresses import is_private_ip


class PrivateAddressResolved(DNSLookupError):
    """The host resolved to a private, loopback, link-local or reserved address."""


# Twisted turns any failed simple lookup into a bare "no results for hostname lookup" error before
# Scrapy sees it; the refusal's reason is kept here so the skip can say why (crawler/net/failures.py).
_refusals: LocalCache[str, str] = LocalCache(1000)


def refusal_for(url: str) -> str | None:
    """Why the connect-time lookup of `url`'s host was refused, or None."""
    return _refusals.get((urlsplit(url).hostname or "").lower())


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def _hosts(allowlist) -> frozenset[str]:
    """The host part of each "host:port" allowlist entry."""
    return frozenset(str(entry).lower().rsplit(":", 1)[0] for entry in allowlist)


class GuardedResolver(CachingThreadedResolver):
    def __init__(self, reactor, cache_size: int, timeout: float, allow_private: bool = False,
                 allowlist=()):
        super().__init__(reactor, cache_size, timeout)
        self.allow_private = allow_private
        self.allowed_hosts = _hosts(allowlist)

    @classmethod
    def from_crawler(cls, crawler, reactor):
        # Scrapy builds the resolver once per process, from the process's settings (not a crawler).
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("NEWS_ALLOW_PRIVATE_ADDRESSES", defaults.NEWS_ALLOW_PRIVATE_ADDRESSES)
        resolver.allowed_hosts = _hosts(crawler.settings.getlist("NEWS_PRIVATE_ALLOWLIST", defaults.NEWS_PRIVATE_ALLOWLIST))
        return resolver

    def getHostByName(self, name: str, timeout=()):
        d = self._lookup(name, timeout)
        if self._allowed(name.lower()):
            return d
        return d.addCallback(self._refuse_private, name)

    def _allowed(self, name: str) -> bool:
        return self.allow_private or name in self.allowed_hosts or _is_ip_literal(name)

    def _lookup(self, name: str, timeout):
        return super().getHostByName(name, timeout)  # Scrapy's cached, threaded lookup

    @staticmethod
    def _refuse_private(address: str, name: str) -> str:
        if is_private_ip(address):
            message = (f"refused {name}: it resolved to {address}, a private, loopback or link-local "
                       "address, when connecting")
            _refusals[name.lower()] = message
            raise PrivateAddressResolved(message)
        return address
