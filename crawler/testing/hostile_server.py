"""A local HTTP server that misbehaves on purpose, for the hostile crawl tests.

Serves two good articles and, beside them, every kind of bad response a crawler meets: bodies
of 50 MB (with and without Content-Length), a compression bomb, a connection reset halfway, a
slow-loris drip, redirect chains, loops and redirects to private addresses, pages that are not
pages, and sitemaps/feeds that loop or attack the XML parser. Runs in a thread on 127.0.0.1.
"""
from __future__ import annotations

import socket
import struct
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler

from crawler.testing.http_server import LocalServer, send

MB = 1024 * 1024
# The endless pages' size: more than a crawler's size limit (10 MB) plus what the kernel's socket
# buffers can hold (Linux autotunes them up to tens of MB), so a hang-up always shows.
STREAMED_BYTES = 200 * MB
ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav><a href="/">Home</a> <a href="/world/">World</a></nav><article><h1>{title}</h1>
<p>{p1}</p><p>{p2}</p></article><footer>All rights reserved.</footer></body></html>"""
GOOD = {
    "/articles/good.html": ARTICLE.format(
        title="Harbour board agrees to repair the northern pier",
        p1="The harbour board voted on Thursday to repair the northern pier before the winter storms arrive.",
        p2="Fishermen had asked for the work for two years, the board's chair told reporters after the meeting."),
    "/articles/good-two.html": ARTICLE.format(
        title="Library extends its evening opening hours",
        p1="The central library will stay open until ten in the evening from next month, the council said.",
        p2="Students had collected more than a thousand signatures asking for longer hours during exams."),
    "/articles/chain-target.html": ARTICLE.format(
        title="Night buses return to the eastern suburbs",
        p1="Night buses will run again to the eastern suburbs from Friday after a six-month pause, the operator said.",
        p2="Drivers were recruited over the summer and the timetable has been agreed with the union."),
}
DEEP_PAGE = ("<html><head><title>Deep page</title></head><body>" + "<div>" * 10_000
             + "<p>A paragraph buried ten thousand levels deep still tells readers the bridge reopens on Monday.</p>"
             + "</div>" * 10_000 + "</body></html>")
MIXED_PAGE = ("<html><head><title>Stadtrat in Köln</title></head><body><article>"
              "<p>Der Stadtrat von Köln beschloss am Dienstag den Haushalt; die Grünen stimmten dagegen, "
              "die Bürgerinitiative begrüßte den Beschluss ausdrücklich.</p>").encode() + (
              "<p>A pasted statement said: “The budget is fair” – nothing more was added.</p>").encode("cp1252") + (
              b"</article></body></html>")
PDF = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _gzip_bomb(expanded: int, prefix: bytes = b"") -> bytes:
    out = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b" " * MB
    return b"".join([out.compress(prefix)] + [out.compress(chunk) for _ in range(expanded // MB)] + [out.flush()])


class HostileServer(LocalServer):
    def __init__(self, private_port: int):
        super().__init__()
        self.private_port = private_port  # a second loopback port the crawler must never be sent to
        self.bytes_sent: Counter[str] = Counter()
        self.page_bomb = _gzip_bomb(60 * MB, b"<html><body><p>")  # as Content-Encoding: gzip
        self.sitemap_bomb = _gzip_bomb(60 * MB, b"<urlset>")  # as a .xml.gz file

    # -- routes -------------------------------------------------------------------------------
    def redirects(self) -> dict[str, str]:
        chain = {f"/articles/chain-{i}.html": f"/articles/chain-{i + 1}.html" for i in range(1, 3)}
        chain["/articles/chain-3.html"] = "/articles/chain-target.html"
        long_chain = {f"/articles/long-{i}.html": f"/articles/long-{i + 1}.html" for i in range(12)}
        return {
            **chain, **long_chain,
            "/articles/self-loop.html": "/articles/self-loop.html",
            "/articles/dup-redirect.html": "/articles/good-two.html",  # also listed directly
            "/articles/to-loopback.html": f"http://127.0.0.1:{self.private_port}/articles/admin.html",
            "/articles/to-localhost.html": f"http://localhost:{self.port}/articles/good-two.html",
            "/articles/to-ten.html": "http://10.0.0.1/articles/admin.html",
            "/articles/to-metadata-v6.html": "http://[::ffff:169.254.169.254]/latest/meta-data/",
            "/articles/to-file.html": "file:///etc/passwd",
        }

    def respond(self, h: BaseHTTPRequestHandler, path: str, hit: int = 0) -> None:
        redirects = self.redirects()
        if path in redirects:
            target = redirects[path]
            return self._send(h, 302, b"", {"Location": target if "://" in target else self.base + target})
        if path in GOOD:
            return self._send(h, 200, GOOD[path].encode(), {"Content-Type": "text/html; charset=utf-8"})
        handler = getattr(self, "route_" + path.strip("/").replace("/", "_").replace(".", "_").replace("-", "_"),
                          None)
        if handler is None:
            return self._send(h, 404, b"<html><body>not found</body></html>", {"Content-Type": "text/html"})
        return handler(h)

    def _send(self, h, status: int, body: bytes, headers: dict) -> None:
        send(h, status, body, headers)

    def _html(self, h, body: bytes, content_type: str = "text/html") -> None:
        self._send(h, 200, body, {"Content-Type": content_type})

    def _stream(self, h, path: str, total: int) -> None:
        """Write `total` bytes of page in 64 kB pieces until done or the client hangs up."""
        piece = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        h.wfile.write(b"<html><body>")
        while sent < total and not self._stop.is_set():
            h.wfile.write(piece)
            sent += len(piece)
            with self._lock:
                self.bytes_sent[path] += len(piece)

    def route_robots_txt(self, h):
        self._send(h, 200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})

    def route_good_rss(self, h):
        self._send(h, 200, self.feed(["/articles/good.html"]), {"Content-Type": "application/rss+xml"})

    def route_feed_rss(self, h):
        links = ["/articles/good.html", "/articles/good-two.html", "/articles/big-declared.html",
                 "/articles/big-streamed.html", "/articles/bomb.html", "/articles/reset.html",
                 "/articles/slow.html", "/articles/deep.html", "/articles/nul.html", "/articles/mixed.html",
                 "/articles/scripts.html", "/articles/json.html", "/articles/pdf.html", "/private/hidden.html",
                 "/articles/chain-1.html", "/articles/long-0.html", "/articles/dup-redirect.html",
                 *(p for p in self.redirects() if "/to-" in p or "loop" in p)]
        self._send(h, 200, self.feed(links), {"Content-Type": "application/rss+xml"})

    def route_feeds_laughs_rss(self, h):
        dtd = ('<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")
        body = f'<?xml version="1.0"?>{dtd}<rss><channel><item><link>{self.base}/articles/&i;</link></item>' \
               f"</channel></rss>"
        self._send(h, 200, body.encode(), {"Content-Type": "application/rss+xml"})

    def feed(self, paths) -> bytes:
        items = "".join(f"<item><title>{p}</title><link>{self.base}{p}</link></item>" for p in paths)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()

    # sitemaps: an index that lists itself and a child that lists the index again
    def route_sitemap_index_xml(self, h):
        children = ["/sitemap_index.xml", "/sitemaps/child.xml", "/sitemaps/bomb.xml.gz", "/sitemaps/xxe.xml",
                    "/sitemaps/huge.xml"]
        body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>{self.base}{c}</loc></sitemap>" for c in children) + "</sitemapindex>")
        self._send(h, 200, body.encode(), {"Content-Type": "application/xml"})

    def route_sitemaps_child_xml(self, h):
        body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.base}/sitemap_index.xml</loc></sitemap></sitemapindex>")
        self._send(h, 200, body.encode(), {"Content-Type": "application/xml"})

    def route_sitemaps_bomb_xml_gz(self, h):
        self._send(h, 200, self.sitemap_bomb, {"Content-Type": "application/x-gzip"})

    def route_sitemaps_xxe_xml(self, h):
        body = ('<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                f"<urlset><url><loc>{self.base}/articles/&x;</loc></url></urlset>")
        self._send(h, 200, body.encode(), {"Content-Type": "application/xml"})

    def route_sitemaps_huge_xml(self, h):
        body = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + b"".join(b"<url><loc>%s/tags/%d.html</loc></url>" % (self.base.encode(), i) for i in range(100_000))
                + b"</urlset>")
        self._send(h, 200, body, {"Content-Type": "application/xml"})

    # pages
    def route_articles_big_declared_html(self, h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(STREAMED_BYTES))
        h.end_headers()
        self._stream(h, "/articles/big-declared.html", STREAMED_BYTES)

    def route_articles_big_streamed_html(self, h):
        h.send_response(200)  # no Content-Length: the size is only known by reading
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        self._stream(h, "/articles/big-streamed.html", STREAMED_BYTES)

    def route_articles_bomb_html(self, h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(self.page_bomb)))
        h.end_headers()
        h.wfile.write(self.page_bomb)

    def route_articles_reset_html(self, h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "20000")
        h.end_headers()
        h.wfile.write(b"<html><body><p>" + b"half a page " * 100)
        # SO_LINGER 0: close() sends a TCP RST instead of a FIN, a reset in the middle of the body.
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    def route_articles_slow_html(self, h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(600):  # one byte every 50 ms: ~30 s for the page, far past DOWNLOAD_TIMEOUT
            if self._stop.wait(0.05):
                break
            h.wfile.write(b"x")
            h.wfile.flush()

    def route_articles_deep_html(self, h):
        self._html(h, DEEP_PAGE.encode())

    def route_articles_nul_html(self, h):
        body = GOOD["/articles/good-two.html"].replace("Library", "Museum").replace("library", "museum")
        self._html(h, body.encode().replace(b"<p>", b"<p>\x00").replace(b" the ", b" the\x00 "), "text/html")

    def route_articles_mixed_html(self, h):
        self._html(h, MIXED_PAGE)  # no charset declared anywhere

    def route_articles_scripts_html(self, h):
        self._html(h, b"<html><head><script>var x = 'headline from a script';</script></head><body>"
                      b"<script>document.write('body from a script')</script><script src='/app.js'></script>"
                      b"</body></html>")

    def route_articles_json_html(self, h):
        self._html(h, b'{"headline": "Not a page", "body": "JSON served as HTML"}', "text/html; charset=utf-8")

    def route_articles_pdf_html(self, h):
        self._html(h, PDF, "text/html")

    def route_private_hidden_html(self, h):
        self._html(h, GOOD["/articles/good-two.html"].encode())

    # -- lifecycle ----------------------------------------------------------------------------
