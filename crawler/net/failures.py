"""Turn a failed request into a skip reason code (the `reason` column of `skips`)."""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_error

from crawler.net.resolver import PrivateAddressResolved, refusal_for


class RefusedRequest(IgnoreRequest):
    """A request the crawler refuses on purpose (private address, redirect loop, bad scheme)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# What a failure that carries no message of its own means (Scrapy raises these two bare).
_SILENT = {
    "DownloadCancelledError": "the body grew past the download size limit and the download was cancelled",
    "ResponseDataLossError": "the connection was closed or reset before the whole body arrived",
}


def _named(exc: BaseException, *names: str) -> bool:
    return type(exc).__name__ in names


def failure_reason(failure) -> tuple[str, str]:
    """(reason code, detail) for a Twisted failure delivered to an errback."""
    exc = failure.value
    if isinstance(exc, RefusedRequest):
        return exc.code, str(exc)
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", f"HTTP {status} from {exc.response.url}"
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "robots_disallowed", text
        if "redirection" in text:
            return "too_many_redirects", text
        if "DOWNLOAD_MAXSIZE" in text:  # a compressed body that inflates past the limit (compression bomb)
            return "too_large", text
        return "ignored", text or "request ignored"
    if isinstance(exc, PrivateAddressResolved):
        return "private_address", str(exc)
    text = f"{type(exc).__name__}: {str(exc) or _SILENT.get(type(exc).__name__, 'no detail given')}"
    if _named(exc, "DownloadCancelledError") or "maxsize" in str(exc).lower():
        return "too_large", text
    if _named(exc, "DownloadTimeoutError", "TimeoutError") or isinstance(exc, net_error.TimeoutError):
        return "timeout", text
    if _named(exc, "CannotResolveHostError") or isinstance(exc, net_error.DNSLookupError):
        refused = refusal_for(failure.request.url) if getattr(failure, "request", None) else None
        return ("private_address", refused) if refused else ("dns_error", text)
    if _named(exc, "DownloadConnectionRefusedError") or isinstance(exc, net_error.ConnectionRefusedError):
        return "connection_refused", text
    if _named(exc, "ResponseDataLossError", "ResponseNeverReceived", "ResponseFailed") or isinstance(
            exc, (net_error.ConnectionLost, net_error.ConnectionDone)):
        return "connection_lost", text
    return "download_error", text
