"""The HTTP API, version 1, with django-ninja: its endpoints, OpenAPI schema and docs page.

Every endpoint needs a personal token (articles.api.auth) and acts with its user's role:
reading needs a role, importing needs a Lead's import permission. docs/design.md ("The HTTP
API") describes the whole; the docs page at /api/v1/docs lists every field.
"""

import datetime

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import NinjaAPI, Query, Schema, Status
from ninja.openapi.docs import Swagger
from pydantic import Field

from articles.api import errors, reads
from articles.api.auth import TokenAuth, require
from articles.api.errors import ApiError
from articles.api.events import event_page
from articles.api.schemas import (
    ArticleDetail,
    ArticlePage,
    Errors,
    EventPage,
    ImportAnswer,
    ImportRunOut,
    QueuedAnswer,
)
from articles.imports.importers import import_records
from articles.imports.reading import Refused, json_document
from articles.jobs.uploads import queue_records
from articles.models import Article, ImportRun
from articles.queue.filters import QueueFilterForm

api = NinjaAPI(
    title="newsreview API",
    version="1",
    description=(
        "Hand articles over, follow their review. Authenticate every request with "
        "`Authorization: Bearer <token>`, a personal token made on the API tokens page; it "
        'acts with its user\'s role. Errors are `{"errors": [{"field", "reason"}]}`.'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
)
errors.install(api)

MAX_ID = 2**63 - 1
ERRORS = {400: Errors, 401: Errors, 403: Errors, 429: Errors}
# The import formats' article object (docs/design.md, "Import formats").
ARTICLE_IN = {
    "type": "object",
    "required": ["id", "paragraphs"],
    "properties": {
        "id": {"type": "string", "maxLength": 255},
        "paragraphs": {
            "type": "array",
            "items": {"type": "string", "description": "A paragraph's HTML."},
        },
        "title": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "source": {"type": "string", "description": "The site's domain."},
    },
}


def _page_size(limit: int) -> int:
    return min(limit, settings.NEWSREVIEW_API_MAX_PAGE)


class Cursor(Schema):
    limit: int = Field(
        100, ge=1, description="Rows per page, at most NEWSREVIEW_API_MAX_PAGE (1,000)."
    )


class ArticleFilters(Cursor):
    cursor: int = Field(
        0, ge=0, le=MAX_ID, description="next_cursor of the page before."
    )
    status: str = ""
    source: str = ""
    assigned: str = Field("", description="me, none, or empty for anyone.")
    imported_from: str = Field("", description="A day, YYYY-MM-DD.")
    imported_to: str = Field("", description="A day, YYYY-MM-DD.")
    q: str = Field("", description="Words in the title or text.")
    imported_since: datetime.datetime | None = None
    updated_since: datetime.datetime | None = Field(
        None, description="Imported or labeled at or after this time (ISO 8601)."
    )


class EventCursor(Cursor):
    after: int = Field(0, ge=0, le=MAX_ID, description="next_after of the page before.")


@api.post(
    "/articles",
    response={200: ImportAnswer, 202: QueuedAnswer, 413: Errors, **ERRORS},
    summary="Import articles (one object or a list), idempotently",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [ARTICLE_IN, {"type": "array", "items": ARTICLE_IN}]
                    }
                }
            },
        }
    },
)
def post_articles(request: HttpRequest, source: str = ""):
    """The import formats' article object (`id`, `paragraphs`, and optionally `title`, `url`,
    `source`), one or a list, cleaned and written by the same importer as files. Posting the
    same article again reports it unchanged; the same id with other content is refused as a
    conflict. The answer (200) says what became of each record, in order. More than
    NEWSREVIEW_API_SYNC_MAX_RECORDS (200) articles are imported by a background job: the
    answer is 202 with the run to follow at `status_url`, whose `results` end the same way."""
    require(request, "articles.import_article", "import articles")
    if len(source) > 253:
        raise ApiError(400, "source", "at most 253 characters, e.g. bbc.co.uk")
    records = _records(_body(request))
    if len(records) > settings.NEWSREVIEW_API_SYNC_MAX_RECORDS:
        # Many articles: a job imports them; the answer says where to follow it.
        run = queue_records(records, source=source, user=request.api_user)
        return Status(
            202,
            {
                "run": run.pk,
                "state": run.state,
                "status_url": reverse("api:get_import", kwargs={"run_id": run.pk}),
            },
        )
    result, ids = import_records(records, source=source, user=request.api_user)
    results = [
        {
            "item": number,
            "id": external_id,
            "result": _outcome(file),
            # A re-import with other content is the article's next revision (articles.revisions):
            # what it changed, e.g. "2 unchanged, 1 edited".
            "changes": file.changes_line,
            "reasons": file.reasons,
        }
        for number, (file, external_id) in enumerate(
            zip(result.files, ids, strict=True), start=1
        )
    ]
    return {
        "run": result.run.pk,
        "created": result.created,
        "unchanged": result.unchanged,
        "revised": result.revised,
        "failed": result.failed,
        "paragraphs": result.paragraphs,
        "results": results,
    }


def _outcome(file) -> str:
    if file.created:
        return "created"
    if file.revised:
        return "revised"
    if file.unchanged:
        return "unchanged"
    return "failed"


def _body(request: HttpRequest) -> bytes:
    limit = settings.NEWSREVIEW_API_MAX_BODY_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0 or length > limit:
        raise ApiError(
            413,
            "body",
            f"the body is over the limit of {limit:,} bytes; send fewer articles",
        )
    try:
        return request.body
    except RequestDataTooBig:
        raise ApiError(
            413,
            "body",
            f"the body is over the limit of {limit:,} bytes; send fewer articles",
        ) from None


def _records(body: bytes) -> list:
    try:
        value = json_document(body)
    except Refused as refused:
        raise ApiError(400, "body", str(refused)) from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ApiError(
            400, "body", "must be an article object or a non-empty list of them"
        )
    limit = settings.NEWSREVIEW_API_MAX_RECORDS
    if len(value) > limit:
        raise ApiError(
            413,
            "body",
            f"{len(value):,} articles, more than the limit of {limit:,} a request",
        )
    return value


@api.get("/articles", response={200: ArticlePage, **ERRORS}, summary="List articles")
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]):
    """Articles with the queue's filters, in id order (new articles come last), a page at a
    time: pass the answer's `next_cursor` as `cursor` until it is null."""
    params = {
        name: getattr(filters, name)
        for name in (
            "status",
            "source",
            "assigned",
            "imported_from",
            "imported_to",
            "q",
        )
    }
    form = QueueFilterForm(params)
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        raise ApiError(400, field, " ".join(messages))
    rows, next_cursor = reads.article_page(
        form.filters(),
        user=request.api_user,
        after=filters.cursor,
        limit=_page_size(filters.limit),
        imported_since=filters.imported_since,
        updated_since=filters.updated_since,
    )
    return {
        "results": rows,
        "next_cursor": None if next_cursor is None else str(next_cursor),
    }


@api.get(
    "/articles/{article_id}",
    response={200: ArticleDetail, 404: Errors, **ERRORS},
    summary="One article with its paragraphs",
)
def get_article(request: HttpRequest, article_id: int):
    """The article with every paragraph: its HTML (sanitised at import) and text, label, who
    labeled it and when, note, and the boilerplate suggestion of an unlabeled one."""
    if not 0 < article_id <= MAX_ID:
        raise ApiError(404, "article_id", "no such article")
    if Article.objects.is_blind_to(article_id, request.api_user):
        raise ApiError(
            403,
            "article_id",
            "you are second-reviewing this article blind (articles.quality)",
        )
    return reads.article_whole(article_id)


@api.get(
    "/events",
    response={200: EventPage, **ERRORS},
    summary="Label events after a cursor",
)
def list_events(request: HttpRequest, page: Query[EventCursor]):
    """Every label and note change in the order it happened. Start with `after=0`, then pass
    the answer's `next_after`: each event comes exactly once. The newest seconds are held back
    until no earlier change can still commit (docs/design.md)."""
    rows, next_after = event_page(
        after=page.after, limit=_page_size(page.limit), user=request.api_user
    )
    # Rendered here, not through the response schema (which still documents it): ninja's
    # per-object validation was 60% of a 1,000-event page's time (cProfile), and these rows
    # are built by our own query with exactly the schema's fields.
    return JsonResponse({"results": rows, "next_after": next_after})


@api.get(
    "/imports/{run_id}",
    response={200: ImportRunOut, 404: Errors, **ERRORS},
    summary="An import run's progress and result",
)
def get_import(request: HttpRequest, run_id: int):
    require(request, "articles.import_article", "read imports")
    if not 0 < run_id <= MAX_ID:
        raise ApiError(404, "run_id", "no such import")
    run = get_object_or_404(ImportRun, pk=run_id)
    return {
        **{
            name: getattr(run, name)
            for name in ImportRunOut.model_fields
            if name not in ("errors", "results")
        },
        "results": [
            dict(
                zip(
                    ("name", "created", "unchanged", "failed", "revised", "changes"),
                    row,
                    strict=False,
                )
            )
            for row in run.files
        ],
        "errors": [
            {"field": str(e.get("file", "")), "reason": str(e.get("reason", ""))}
            for e in run.errors[: settings.NEWSREVIEW_MAX_REASONS_PER_RUN]
            if isinstance(e, dict)
        ],
    }
