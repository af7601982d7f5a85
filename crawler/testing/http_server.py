"""One local HTTP server for tests and benchmarks: threaded, on 127.0.0.1, an ephemeral port.

A subclass says what to answer (`respond`); this class runs the server, counts requests per
path, and stops it on exit, also when the test failed (use it as a context manager).
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: Headers = ()) -> None:
    """A complete response with its Content-Length."""
    handler.send_response(status)
    for key, value in headers.items() if isinstance(headers, Mapping) else headers:
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class LocalServer:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()  # path -> requests
        self.requests: list[str] = []  # request targets in arrival order (with query strings)
        self._lock = threading.Lock()
        self._stop = threading.Event()  # set on exit: long responses stop streaming
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                with server._lock:
                    server.requests.append(self.path)
                    if server.counted(path):
                        server.hits[path] += 1
                    hit = server.hits[path]
                try:
                    server.respond(self, path, hit)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def respond(self, handler: BaseHTTPRequestHandler, path: str, hit: int) -> None:
        """Answer one GET of `path` (`hit`: how many times it was asked for, this one included)."""
        raise NotImplementedError

    def counted(self, path: str) -> bool:
        """Whether requests for `path` count in `hits` (all of them unless a server says otherwise)."""
        return True

    def fetched(self, path: str) -> int:
        with self._lock:
            return self.hits[path]

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class StaticServer(LocalServer):
    """Serves fixed bodies by path (404 otherwise): `routes[path] = (content type, body)`."""

    def __init__(self, routes: Mapping[str, tuple[str, bytes]] | None = None) -> None:
        super().__init__()
        self.routes = dict(routes or {})

    def respond(self, handler: BaseHTTPRequestHandler, path: str, hit: int) -> None:
        if path not in self.routes:
            return send(handler, 404, b"not found", {"Content-Type": "text/plain"})
        content_type, body = self.routes[path]
        send(handler, 200, body, {"Content-Type": content_type})
