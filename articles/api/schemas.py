"""The API's answers as pydantic schemas: what the OpenAPI document describes."""

from datetime import datetime

from ninja import Schema


class Error(Schema):
    field: str
    reason: str


class Errors(Schema):
    errors: list[Error]


class RecordResult(Schema):
    item: int
    id: str
    result: str  # created, unchanged, revised (a new revision: articles.revisions) or failed
    changes: str = ""  # a revision's changes, e.g. "25 unchanged, 2 edited, 1 added"
    reasons: list[str]


class ImportAnswer(Schema):
    run: int
    created: int
    unchanged: int
    revised: int
    failed: int
    paragraphs: int
    results: list[RecordResult]


class QueuedAnswer(Schema):
    run: int
    state: str
    status_url: str


class FileResult(Schema):
    name: str  # "item N" for an API post's records, the file's name for an upload
    created: int
    unchanged: int
    failed: int
    revised: int = 0
    changes: str = ""


class ArticleRow(Schema):
    id: int
    external_id: str
    title: str
    source: str
    url: str
    status: str
    paragraphs: int
    verified: int
    unverified: int
    boilerplate: int
    assigned_to: str | None
    last_reviewed_by: str | None
    last_reviewed_at: datetime | None
    imported_at: datetime


class ArticlePage(Schema):
    results: list[ArticleRow]
    next_cursor: str | None


class SuggestionOut(Schema):
    label: str
    reason: str


class ParagraphOut(Schema):
    position: int
    html: str
    text: str
    label: str
    labeled_by: str | None
    labeled_at: datetime | None
    note: str
    version: int
    suggestion: SuggestionOut | None


class ArticleDetail(ArticleRow):
    paragraph_list: list[ParagraphOut]


class EventOut(Schema):
    id: int
    article_id: int
    external_id: str
    position: int
    field: str
    old_value: str
    new_value: str
    method: str
    user: str | None
    created_at: datetime


class EventPage(Schema):
    results: list[EventOut]
    next_after: int


class ImportRunOut(Schema):
    id: int
    origin: str
    state: str
    files_total: int
    files_seen: int
    articles_created: int
    articles_unchanged: int
    articles_revised: int
    articles_failed: int
    paragraphs_created: int
    started_at: datetime
    finished_at: datetime | None
    results: list[FileResult]
    errors: list[Error]
