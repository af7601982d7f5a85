"""Request limits, the write token and the Content-Security-Policy headers.

Every page the app renders runs no script at all (the UI is plain HTML forms), and the raw
pages it serves are hostile input: they get a policy that blocks every script and every
remote resource, and the `sandbox` directive, on top of the sandboxed iframe that shows them.
"""
from __future__ import annotations

import json
import secrets

from fastapi import Header, HTTPException, Request

# The app's own pages: own styles and images (the chart), frames only from itself, no script.
APP_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# A stored raw page: nothing may run or load; inline styles and data: images only.
RAW_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"


class BodyLimitMiddleware:
    """413 for a request body over `max_bytes`: refused on its Content-Length before reading,
    or while reading a body sent without one (chunked)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send, seen: str) -> None:
        body = json.dumps({"detail": f"request body is {seen} bytes; the limit is {self.max_bytes} "
                                     "(NEWS_WEB_MAX_REQUEST_BYTES)"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await self._refuse(send, length.decode())
        received = 0
        refused = False

        async def limited_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Answer now; the app then sees a disconnected client and its own reply is dropped.
                    refused = True
                    await self._refuse(send, f"over {self.max_bytes}")
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not refused:
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not refused:
                raise


def require_token(request: Request, authorization: str | None = Header(default=None)) -> None:
    """Dependency of every write endpoint: `Authorization: Bearer <NEWS_WEB_TOKEN>`."""
    check_token(request.app.state.config.token, (authorization or "").removeprefix("Bearer ").strip())


def check_token(expected: str | None, given: str) -> None:
    if not expected:
        raise HTTPException(403, "write endpoints are disabled: set NEWS_WEB_TOKEN to enable them")
    if not given or not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "missing or wrong token", headers={"WWW-Authenticate": "Bearer"})
