"""CSV exports of the review: one writer for the export views, the admin action and the command.

Rows are read in keyset-paginated batches (one query per batch of `batch_size` rows) and written
as they are read, so memory stays flat and the first bytes leave at once, whatever the size.
Output: RFC 4180 (quoted as needed, CRLF), UTF-8 with one BOM so spreadsheets read "Jürgen"
right, ISO 8601 times with offset in the current time zone.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Paragraph

BATCH_SIZE = 2000

ARTICLE_COLUMNS = (
    "external_id",
    "title",
    "source",
    "url",
    "status",
    "paragraphs",
    "verified",
    "unverified",
    "boilerplate",
    "unlabeled",
    "progress_percent",
    "assigned_to",
    "last_reviewed_by",
    "last_reviewed_at",
    "imported_at",
    "review_url",
)
PARAGRAPH_COLUMNS = (
    "external_id",
    "position",
    "label",
    "labeled_by",
    "labeled_at",
    "note",
    "text",
)

# Security: a spreadsheet evaluates a cell starting with one of these as a formula, so a scraped
# title like `=HYPERLINK(...)` or `=cmd|...` would run on the editor's machine ("CSV injection",
# OWASP). Every cell whose text comes from outside (scraped pages, notes, user names) goes through
# neutralise(); a leading apostrophe makes the spreadsheet show the text as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# reverse() once with a stand-in id, not once per row: it costs microseconds that add up to
# seconds over 100,000 rows.
_ID_SLOT = 987654321


def neutralise(value: str | None) -> str:
    """`value` safe to open in a spreadsheet: text that could start a formula gets a leading '."""
    if not value:
        return ""
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _time(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def review_url_format(base_url: str) -> str:
    """The review page's absolute URL with `{}` for the article id, e.g. `https://h/articles/{}/`."""
    path = reverse("articles:detail", args=[_ID_SLOT])
    return base_url.rstrip("/") + path.replace(str(_ID_SLOT), "{}")


def article_rows(
    articles, *, review_url: str, batch_size: int = BATCH_SIZE
) -> Iterator[list[list]]:
    """Batches of articles CSV rows for the `articles` queryset, in id order.

    Runs one query per batch: ⌊rows / batch_size⌋ + 1 queries in all.
    """
    after = 0
    while True:
        batch = list(articles.export_rows(after=after, limit=batch_size))
        rows = []
        for (
            pk,
            external_id,
            title,
            source,
            url,
            status,
            total,
            verified,
            unverified,
            boilerplate,
            assigned_to,
            last_reviewed_by,
            last_reviewed_at,
            imported_at,
        ) in batch:
            labeled = verified + unverified + boilerplate
            rows.append(
                [
                    neutralise(external_id),
                    neutralise(title),
                    neutralise(source),
                    neutralise(url),
                    status,
                    total,
                    verified,
                    unverified,
                    boilerplate,
                    total - labeled,
                    # Rounded down, as Article.progress_percent: 100 means really done.
                    labeled * 100 // total if total else 0,
                    neutralise(assigned_to),
                    neutralise(last_reviewed_by),
                    _time(last_reviewed_at),
                    _time(imported_at),
                    review_url.format(pk),
                ]
            )
        yield rows
        if len(batch) < batch_size:
            return
        after = batch[-1][0]


def _article_groups(articles, batch_size: int) -> Iterator[dict[int, str]]:
    """{id: external_id} of consecutive articles whose paragraphs number under `batch_size` together.

    The stored paragraph counts only size the groups; paragraph_rows() pages through each group
    anyway, so a wrong count costs a query, never a row.
    """
    after = 0
    while True:
        keys = list(articles.export_keys(after=after, limit=batch_size))
        group: dict[int, str] = {}
        expected = 0
        for pk, external_id, paragraph_count in keys:
            if group and expected + paragraph_count >= batch_size:
                yield group
                group, expected = {}, 0
            group[pk] = external_id
            expected += paragraph_count
        if group:
            yield group
        if len(keys) < batch_size:
            return
        after = keys[-1][0]


def paragraph_rows(articles, *, batch_size: int = BATCH_SIZE) -> Iterator[list[list]]:
    """Batches of paragraphs CSV rows for the `articles` queryset, by article id then position.

    The filtered articles are read once, in id order (⌊articles / batch_size⌋ + 1 queries), and their
    paragraphs in groups of fewer than `batch_size` (one query per group; an article longer than
    that pages by position). Re-running the queue's filter per paragraph batch would repeat a
    full-text search for every batch.
    """
    for group in _article_groups(articles, batch_size):
        article_ids = list(group)
        after = (0, 0)
        while True:
            batch = list(
                Paragraph.objects.export_rows(
                    article_ids=article_ids, after=after, limit=batch_size
                )
            )
            yield [
                [
                    neutralise(group[article_id]),
                    position,
                    label,
                    neutralise(labeled_by),
                    _time(labeled_at),
                    neutralise(note),
                    neutralise(text),
                ]
                for article_id, position, label, labeled_by, labeled_at, note, text in batch
            ]
            if len(batch) < batch_size:
                break
            after = batch[-1][:2]


def csv_chunks(columns: Iterable[str], batches: Iterable[list[list]]) -> Iterator[str]:
    """The CSV text: BOM and header first (sent before any query runs), then one chunk per batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(columns)
    for rows in batches:
        writer.writerows(rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if tail := buffer.getvalue():  # only when there were no batches at all
        yield tail


def export_filename(kind: str) -> str:
    """`review-status-2026-11-24.csv` for kind "status", with today's date in the current zone."""
    return f"review-{kind}-{timezone.localdate().isoformat()}.csv"


def csv_response(chunks: Iterator[str], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Review data is internal: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def articles_response(
    articles, *, base_url: str, batch_size: int = BATCH_SIZE
) -> StreamingHttpResponse:
    """The articles CSV of the `articles` queryset as a streamed download."""
    rows = article_rows(
        articles, review_url=review_url_format(base_url), batch_size=batch_size
    )
    return csv_response(
        csv_chunks(ARTICLE_COLUMNS, rows), filename=export_filename("status")
    )


def paragraphs_response(
    articles, *, batch_size: int = BATCH_SIZE
) -> StreamingHttpResponse:
    """The paragraphs CSV of the `articles` queryset as a streamed download."""
    rows = paragraph_rows(articles, batch_size=batch_size)
    return csv_response(
        csv_chunks(PARAGRAPH_COLUMNS, rows), filename=export_filename("paragraphs")
    )


@admin.action(description="Export selected articles as CSV", permissions=["export"])
def export_selected_as_csv(modeladmin, request, queryset) -> StreamingHttpResponse:
    """Admin action: the selected articles through the same writer as /export/articles.csv."""
    return articles_response(queryset, base_url=request.build_absolute_uri("/"))
