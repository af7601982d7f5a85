"""The review pages: server-rendered Jinja2 templates with autoescape on, no script anywhere.

Every text shown comes from crawled pages and is hostile: templates never mark it safe.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from crawler.web import article_view, proposals, queries
from crawler.web.security import RAW_CSP, check_token

router = APIRouter(include_in_schema=False)
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


def templates(directory: Path) -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(directory), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["translation_states"] = queries.TRANSLATION_STATES
    return Jinja2Templates(env=env)


def _render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


async def error_response(request: Request, exc) -> Response:
    """JSON for API clients, a page for browsers."""
    from fastapi.exception_handlers import http_exception_handler

    if "text/html" in request.headers.get("accept", ""):
        return _render(request, "error.html", status_code=exc.status_code, status=exc.status_code,
                       detail=exc.detail)
    return await http_exception_handler(request, exc)


@router.get("/", response_class=HTMLResponse)
async def article_list(request: Request, source: str | None = None, language: str | None = None,
                       since: str | None = None, until: str | None = None, entity: str | None = None,
                       translation: str | None = None, warnings: str | None = None,
                       cursor: str | None = None) -> HTMLResponse:
    db = request.app.state.db
    filters = {"source": source or "", "language": language or "", "since": since or "", "until": until or "",
               "entity": entity or "", "translation": translation or "", "warnings": warnings or ""}
    try:
        query = queries.RecordQuery.from_strings(source, language, since, until, entity, translation, warnings)
        page = await run_in_threadpool(queries.list_records, db, query, cursor, 50)
    except queries.QueryError as exc:
        raise HTTPException(422, str(exc)) from None
    sources = await run_in_threadpool(queries.distinct, db, "source")
    languages = await run_in_threadpool(queries.distinct, db, "language")
    rows = [{"record": r, "state": queries.translation_state(r),
             "removed": sum(1 for b in r.get("blocks") or [] if b.get("removed"))} for r in page.records]
    return _render(request, "articles.html", rows=rows, next_cursor=page.next_cursor, filters=filters,
                   sources=sources, languages=languages)


@router.get("/article", response_class=HTMLResponse)
async def article_page(request: Request, url: str, revision: int | None = Query(None, ge=1)) -> HTMLResponse:
    db = request.app.state.db
    found = await run_in_threadpool(queries.article, db, url, revision)
    if found is None:
        raise HTTPException(404, f"no stored article for {url!r}" + (f" revision {revision}" if revision else ""))
    earlier = await run_in_threadpool(queries.revisions, db, found.canonical_url)
    copies = await run_in_threadpool(queries.siblings, db, found.record)
    view = article_view.build(found.record)
    return _render(request, "article.html", article=found, record=found.record, view=view, revisions=earlier,
                   siblings=copies, state=queries.translation_state(found.record))


@router.get("/article/raw", response_class=HTMLResponse)
async def raw_frame(request: Request, url: str, revision: int | None = Query(None, ge=1)) -> HTMLResponse:
    found = await run_in_threadpool(queries.article, request.app.state.db, url, revision)
    if found is None:
        raise HTTPException(404, f"no stored article for {url!r}")
    return _render(request, "raw.html", article=found)


@router.get("/raw")
async def raw_body(request: Request, url: str, revision: int | None = Query(None, ge=1)) -> Response:
    """The page as fetched, under a policy that lets nothing run or load (shown in a sandboxed frame)."""
    raw = await run_in_threadpool(queries.raw_page, request.app.state.db, url, revision)
    if raw is None:
        raise HTTPException(404, f"no raw page for {url!r}")
    body, content_type = raw
    charset = _CHARSET.search(content_type or "")
    media = "text/html; charset=" + (charset.group(1) if charset else "utf-8")
    return Response(body, media_type=None, headers={
        "Content-Type": media, "Content-Security-Policy": RAW_CSP, "X-Frame-Options": "SAMEORIGIN",
        "Cache-Control": "no-store"})


@router.get("/stats", response_class=HTMLResponse)
async def stats(request: Request) -> HTMLResponse:
    db = request.app.state.db
    by_source = await run_in_threadpool(queries.counts_by_day, db, "source")
    by_reason = await run_in_threadpool(queries.counts_by_day, db, "reason")
    totals = {name: {key: sum(days.values()) for key, days in series.items()}
              for name, series in (("source", by_source), ("reason", by_reason))}
    skips = await run_in_threadpool(queries.skip_counts, db)
    return _render(request, "stats.html", totals=totals, skips=skips)


_CHART_LABELS = {"source": ("Articles stored per source, by fetch day", "articles"),
                 "reason": ("Blocks removed per reason, by fetch day", "blocks")}


@router.get("/charts/{series}.svg")
async def chart(request: Request, series: str) -> Response:
    if series not in _CHART_LABELS:
        raise HTTPException(404, f"no chart {series!r}: choose one of {', '.join(_CHART_LABELS)}")
    from crawler.web.charts import counts_svg  # matplotlib loads on the first chart, not at start-up

    counts = await run_in_threadpool(queries.counts_by_day, request.app.state.db, series)
    # Drawing takes ~0.5 s: the last drawing of each series is reused while its counts are unchanged.
    cache = request.app.state.charts
    key = json.dumps(counts, sort_keys=True)
    if series not in cache or cache[series][0] != key:
        title, ylabel = _CHART_LABELS[series]
        cache[series] = (key, await run_in_threadpool(counts_svg, counts, title, ylabel))
    svg = cache[series][1]
    return Response(svg, media_type="image/svg+xml", headers={"Content-Security-Policy": RAW_CSP})


@router.get("/entity/{entity_id}", response_class=HTMLResponse)
async def entity_page(request: Request, entity_id: str) -> HTMLResponse:
    state = request.app.state
    found = await run_in_threadpool(queries.entity_view, state.db, state.config.names_index, entity_id)
    if found is None:
        raise HTTPException(404, f"unknown entity {entity_id!r}")
    entity, mentions = found
    return _render(request, "entity.html", entity_id=entity_id, entity=entity, mentions=mentions)


@router.get("/proposals", response_class=HTMLResponse)
async def proposals_page(request: Request, done: str | None = None) -> HTMLResponse:
    state = request.app.state
    try:
        pending = await run_in_threadpool(proposals.pending, state.db, state.config)
    except proposals.ProposalError as exc:
        raise HTTPException(500, str(exc)) from None
    return _render(request, "proposals.html", proposals=pending, done=done, config=state.config,
                   rejected_file=proposals.rejected_file(state.config.gazetteer_file))


@router.post("/proposals")
async def decide(request: Request, entity_id: str = Form(...), variant: str = Form(...),
                 action: str = Form(...), token: str = Form("")) -> Response:
    """Accept (write the variant to the gazetteer file) or reject a proposal; the form carries the token."""
    config = request.app.state.config
    check_token(config.token, token.strip() or request.headers.get("authorization", "").removeprefix("Bearer ").strip())
    if action not in ("accept", "reject"):
        raise HTTPException(422, f"action must be accept or reject, not {action!r}")
    decision = proposals.accept if action == "accept" else proposals.reject
    try:
        await run_in_threadpool(decision, config, entity_id, variant)
    except proposals.ProposalError as exc:
        raise HTTPException(422, str(exc)) from None
    return RedirectResponse(f"/proposals?done={action}ed", status_code=303)
