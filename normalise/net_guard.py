"""Which addresses a fetch must not reach: private, loopback, link-local, reserved, multicast.

One rule for the crawler (its address guard middleware and resolver) and for the normaliser's
one-off URL input (normalise/fetch.py): a public page, or a URL a user pastes, must not make
this process talk to http://169.254.169.254/ or an internal admin page.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_private_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified or not ip.is_global)


def literal_ip(host: str) -> str | None:
    """`host` as an IP address string when it is one (IPv6 with or without brackets), else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def is_local_name(host: str) -> bool:
    host = host.lower()
    return host in LOCAL_NAMES or host.endswith(".localhost")


def refusal(url: str, *, resolve: bool = True) -> str | None:
    """Why `url` must not be fetched, or None when it may be. With `resolve`, a host name is
    looked up and refused when any of its addresses is private."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'!r}"
    host = (parts.hostname or "").lower()
    if not host:
        return "the URL names no host"
    if is_local_name(host):
        return f"{host} is this machine"
    literal = literal_ip(host)
    if literal is not None:
        return f"{literal} is a private or reserved address" if is_private_ip(literal) else None
    if not resolve:
        return None
    try:
        infos = socket.getaddrinfo(host, parts.port or None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        return f"{host} does not resolve: {exc}"
    addresses = {str(info[4][0]).split("%")[0] for info in infos}
    private = sorted(a for a in addresses if is_private_ip(a))
    return f"{host} resolves to a private or reserved address ({', '.join(private)})" if private else None
