"""Scrapy's redirect middleware, plus: loops and non-http(s) targets end as recorded refusals.

Stock behaviour drops a looping redirect or one leaving the allowed domains silently (the
dupefilter or the offsite filter eats it) and passes a redirect to file:// back as a plain 3xx;
here each becomes a RefusedRequest that the spider's errback records as a skip.
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

from crawler.discovery.urls import canonical_url
from crawler.middlewares.address_guard import literal_private_refusal
from crawler.net.failures import RefusedRequest

REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def _host_in(host: str, domains) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


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

    def _in_allowed_domains(self, url: str) -> bool:
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        return not domains or _host_in((urlsplit(url).hostname or "").lower(), domains)

    def _redirect(self, redirected, request, reason):
        chain = [*request.meta.get("redirect_urls", []), request.url]
        seen = {canonical_url(u) for u in chain}
        if canonical_url(redirected.url) in seen:
            raise RefusedRequest("redirect_loop", f"redirect loop: {' -> '.join(chain + [redirected.url])}")
        if literal_private_refusal(redirected.url, self.crawler):
            raise RefusedRequest("redirect_private_address",
                                 f"{request.url} redirects to a private address: {redirected.url}")
        if not self._in_allowed_domains(redirected.url):
            # Scrapy's offsite filter would drop it without a trace; record it instead.
            raise RefusedRequest("redirect_off_domain", f"{request.url} redirects outside the source: "
                                                        f"{redirected.url}")
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest as exc:
            raise RefusedRequest("too_many_redirects", f"{exc} after {' -> '.join(chain)}") from None
