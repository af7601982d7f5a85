"""The review app and HTTP API as one ASGI application: `create_app(config)`."""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from crawler.storage.errors import StoreUnavailable
from crawler.web import api, pages
from crawler.web.config import WebConfig
from crawler.web.db import ReadDB, open_read_db
from crawler.web.metrics import Metrics, MetricsMiddleware
from crawler.web.normalising import NormaliseService
from crawler.web.security import APP_CSP, BodyLimitMiddleware
from normalise.names.gazetteer import GazetteerError

HERE = Path(__file__).resolve().parent


def create_app(config: WebConfig, db: ReadDB | None = None) -> FastAPI:
    """The app on `config.store_url` (or an already opened `db`)."""
    read_db = db or open_read_db(config.store_url)
    service = NormaliseService(config.normaliser, config.normaliser_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            yield
        finally:
            service.close()
            read_db.close()

    # No /docs or /redoc: FastAPI loads their scripts from a CDN. The schema is at /openapi.json.
    app = FastAPI(title="news-ingest review and API", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Review pages for stored articles (what was removed, translated and renamed, "
                              "and why) and an API to normalise pages and read stored records.")
    app.state.config = config
    app.state.db = read_db
    app.state.normaliser = service
    app.state.metrics = Metrics()
    app.state.charts = {}  # series -> (counts it was drawn from, SVG)
    app.state.templates = pages.templates(HERE / "templates")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        # The raw-page route sets its own, stricter policy.
        if "content-security-policy" not in response.headers:
            response.headers["Content-Security-Policy"] = APP_CSP
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(GazetteerError)
    async def gazetteer_unusable(request: Request, exc: GazetteerError):
        return await pages.error_response(request, StarletteHTTPException(503, f"gazetteer unusable: {exc}"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return await pages.error_response(request, exc)

    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(BodyLimitMiddleware, max_bytes=config.max_request_bytes)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
