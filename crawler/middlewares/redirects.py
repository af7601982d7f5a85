"""Scrapy's redirect middleware, plus: loops and non-http(s) targets end as recorded refusals.

Stock behaviour drops a looping redirect silently (the dupefilter eats the repeat) and passes
a redirect to file:// or ftp:// back as a plain 3xx; here both become a RefusedRequest that the
spider's errback records as a skip.
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

from crawler.failures import RefusedRequest
from crawler.urls import canonical_url

REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class GuardedRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request, response):
        if response.status in REDIRECT_STATUSES and b"Location" in response.headers \
                and not request.meta.get("dont_redirect"):
            location = safe_url_string(response.headers[b"Location"])
            target = urljoin(request.url, location)
            scheme = urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                raise RefusedRequest("redirect_bad_scheme", f"{request.url} redirects to {scheme}: ({target})")
        return super().process_response(request, response)

    def _redirect(self, redirected, request, reason):
        chain = [*request.meta.get("redirect_urls", []), request.url]
        seen = {canonical_url(u) for u in chain}
        if canonical_url(redirected.url) in seen:
            raise RefusedRequest("redirect_loop", f"redirect loop: {' -> '.join(chain + [redirected.url])}")
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest as exc:
            raise RefusedRequest("too_many_redirects", f"{exc} after {' -> '.join(chain)}") from None
