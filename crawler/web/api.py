"""The HTTP API: normalise pages, read stored records and entities, health and metrics.

The OpenAPI schema (`/openapi.json`, browsable at `/docs`) is generated from these routes.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field, model_validator

from crawler.web import queries
from crawler.web.normalising import NormaliserUnavailable
from crawler.web.security import require_token

router = APIRouter()


class Document(BaseModel):
    """One page, as a line of the CLI's JSON Lines input: `html` or `text`, with optional hints."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, description="echoed in the record; default request:N")
    html: str | None = Field(None, description="the page's HTML (wins over text)")
    text: str | None = Field(None, description="a text dump, one block per line")
    url: str | None = None
    lang: str | None = Field(None, description="language hint, ISO 639-1")
    source: str | None = Field(None, description="source id stamped on the record")

    @model_validator(mode="after")
    def _has_content(self) -> Document:
        if self.html is None and self.text is None:
            raise ValueError("each document needs 'html' or 'text'")
        return self


class NormaliseRequest(BaseModel):
    """A batch (`documents`) or one page (the Document fields at the top level)."""

    model_config = ConfigDict(extra="forbid")
    documents: list[Document] | None = None
    id: str | None = None
    html: str | None = None
    text: str | None = None
    url: str | None = None
    lang: str | None = None
    source: str | None = None

    def items(self) -> list[Document]:
        single = self.model_dump(exclude={"documents"}, exclude_none=True)
        if self.documents is not None:
            if single:
                raise ValueError("send either 'documents' or one page's fields, not both")
            return self.documents
        return [Document(**single)]


class RecordsResponse(BaseModel):
    records: list[dict[str, Any]]
    next_cursor: str | None = None


def _unprocessable(message: str) -> HTTPException:
    return HTTPException(422, message)


@router.post("/normalise", response_model=RecordsResponse, dependencies=[Depends(require_token)],
             tags=["api"], summary="Normalise pages: the records `python -m normalise` would print")
async def normalise(body: NormaliseRequest, request: Request) -> RecordsResponse:
    state = request.app.state
    try:
        documents = body.items()
    except ValueError as exc:
        raise _unprocessable(str(exc)) from None
    if not documents:
        raise _unprocessable("'documents' is empty")
    if len(documents) > state.config.max_batch:
        raise _unprocessable(f"{len(documents)} documents in one request; the limit is {state.config.max_batch} "
                             "(NEWS_WEB_MAX_BATCH): split the batch")
    languages = state.config.normaliser.languages
    for i, doc in enumerate(documents):
        if doc.lang and doc.lang not in languages:
            raise _unprocessable(f"documents[{i}]: unknown lang {doc.lang!r}; configured: {', '.join(languages)}")
    state.metrics.in_progress.inc()
    try:
        records = await state.normaliser.normalise([d.model_dump(exclude_none=True) for d in documents])
    except NormaliserUnavailable as exc:
        raise HTTPException(503, str(exc)) from None
    finally:
        state.metrics.in_progress.dec()
    for record in records:
        state.metrics.documents.labels("error" if record.get("error") else "ok").inc()
    return RecordsResponse(records=records)


@router.get("/records", response_model=RecordsResponse, tags=["api"],
            summary="Stored records, filtered, in pages (pass next_cursor back as cursor)")
async def list_records(request: Request, source: str | None = None, language: str | None = None,
                       since: str | None = Query(None, description="published on or after (ISO date/datetime)"),
                       until: str | None = Query(None, description="published before; a bare date includes it"),
                       entity: str | None = None,
                       translation: str | None = Query(None, description="translated|untranslated|english|none"),
                       warnings: str | None = Query(None, description="yes: with warnings or error; no: without"),
                       cursor: str | None = None,
                       limit: int = Query(50, ge=1, le=queries.MAX_PAGE_SIZE)) -> RecordsResponse:
    try:
        query = queries.RecordQuery.from_strings(source, language, since, until, entity, translation, warnings)
        page = await run_in_threadpool(queries.list_records, request.app.state.db, query, cursor, limit)
    except queries.QueryError as exc:
        raise _unprocessable(str(exc)) from None
    return RecordsResponse(records=page.records, next_cursor=page.next_cursor)


@router.get("/records/{record_id:path}", tags=["api"],
            summary="One stored record by its canonical URL (or a URL that led to it)")
async def get_record(record_id: str, request: Request,
                     revision: int | None = Query(None, ge=1, description="an earlier version")) -> dict[str, Any]:
    found = await run_in_threadpool(queries.article, request.app.state.db, record_id, revision)
    if found is None:
        raise HTTPException(404, f"no stored record for {record_id!r}")
    return found.record


class EntityResponse(BaseModel):
    id: str
    canonical: str | None
    type: str | None
    known_variants: list[str]
    variants_seen: dict[str, int]
    methods: dict[str, int]
    articles: list[dict[str, Any]]
    more_articles: bool


@router.get("/entities/{entity_id}", response_model=EntityResponse, tags=["api"],
            summary="An entity: its gazetteer entry, the forms seen in records and the articles naming it")
async def get_entity(entity_id: str, request: Request) -> EntityResponse:
    state = request.app.state
    found = await run_in_threadpool(queries.entity_view, state.db, state.config.names_index, entity_id)
    if found is None:
        raise HTTPException(404, f"unknown entity {entity_id!r}")
    entity, mentions = found
    return EntityResponse(
        id=entity_id, canonical=entity.canonical if entity else None, type=entity.type if entity else None,
        known_variants=list(entity.variants) if entity else [], variants_seen=dict(mentions.variants.most_common()),
        methods=dict(mentions.methods), articles=mentions.articles, more_articles=mentions.more)


@router.get("/health", tags=["ops"], summary="Liveness and store reachability")
async def health(request: Request) -> dict[str, Any]:
    state = request.app.state
    try:
        await run_in_threadpool(state.db.rows, "SELECT 1")
    except Exception as exc:  # any store failure is reported, not raised: this is the probe
        raise HTTPException(503, f"store {state.db.description} unreachable: {type(exc).__name__}: {exc}") from None
    return {"status": "ok", "store": state.db.description, "normalise_in_progress": state.normaliser.busy}


@router.get("/metrics", tags=["ops"], summary="Prometheus metrics")
async def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
