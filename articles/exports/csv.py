"""CSV exports of the review: one writer for the export views, the admin action and the command.

Rows are read in keyset-paginated batches (one query per batch of `batch_size` rows) and written
as they are read, so memory stays flat and the first bytes leave at once, whatever the size.
Output: RFC 4180 (quoted as needed, CRLF), UTF-8 with one BOM so spreadsheets read "Jürgen"
right, ISO 8601 times with offset in the current time zone.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib import admin
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from articles.boilerplate.model import active_model
from articles.boilerplate.suggestions import (
    Signals,
    Thresholds,
    article_context,
    score_signals,
    suggest,
)
from articles.exports import queries

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
    # articles.revisions
    "revision",
    "revised_at",
    # Quality control (articles.quality)
    "signed_off_by",
    "signed_off_at",
    "second_reviewer",
    "agreement_percent",
)
PARAGRAPH_COLUMNS = (
    "external_id",
    "position",
    "label",
    "labeled_by",
    "labeled_at",
    "note",
    "text",
    "suggested_label",
    "suggestion_reason",
    # The suggestion's confidence, 0.00 to 1.00 (issue 19; docs/boilerplate.md).
    "suggestion_score",
    # articles.revisions
    "revision",
    "change",
    "previous_label",
    # Quality control (articles.quality): blank for whoever may not see a second opinion
    "second_label",
    "second_labeled_by",
    "adjudicated_by",
)

# Security: a spreadsheet evaluates a cell starting with one of these as a formula, so a scraped
# title like `=HYPERLINK(...)` or `=cmd|...` would run on the editor's machine ("CSV injection",
# OWASP). Every cell whose text comes from outside (scraped pages, notes, user names, ids) goes
# through text_cell(); a leading apostrophe makes the spreadsheet show the text as text.
_FORMULA_START = frozenset("=+-@\t\r")

# reverse() once with a stand-in id, not once per row: it costs microseconds that add up to
# seconds over 100,000 rows.
_ID_SLOT = 987654321


# The rows are formatted here rather than by csv.writer: for cells of a few hundred characters
# it is three times slower than these str methods (measured: 1.6 s against 0.5 s for 50,000
# paragraphs), and the export spends most of its time writing. The rules are RFC 4180's and
# csv.QUOTE_MINIMAL's; the tests read every export back with the csv module.
def text_cell(value: str | None) -> str:
    """Free text as one CSV cell: defused against formulas, quoted when RFC 4180 requires it."""
    if not value:
        return ""
    if value[0] in _FORMULA_START:
        value = "'" + value
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


def _time_cell(value: datetime.datetime | None, zone: datetime.tzinfo) -> str:
    """ISO 8601 with offset in `zone`; naive values are UTC, as Django stores them."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(zone).isoformat()


def review_url_format(base_url: str) -> str:
    """The review page's absolute URL as a CSV cell with `{}` for the article id."""
    path = reverse("articles:detail", args=[_ID_SLOT])
    url = base_url.rstrip("/").replace("{", "{{").replace("}", "}}") + path
    return text_cell(url.replace(str(_ID_SLOT), "{}"))


def article_lines(
    articles, *, review_url: str, batch_size: int = BATCH_SIZE
) -> Iterator[str]:
    """The articles CSV's records for the `articles` queryset, in id order, one chunk per batch.

    Runs one query per batch: ⌊rows / batch_size⌋ + 1 queries in all.
    """
    zone = timezone.get_current_timezone()
    after = 0
    while True:
        batch = list(queries.article_rows(articles, after=after, limit=batch_size))
        lines = []
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
            revision,
            revised_at,
            *quality,
        ) in batch:
            labeled = verified + unverified + boilerplate
            # Rounded down, as Article.progress_percent: 100 means really done.
            progress = labeled * 100 // total if total else 0
            lines.append(
                f"{text_cell(external_id)},{text_cell(title)},{text_cell(source)},"
                f"{text_cell(url)},{status},{total},{verified},{unverified},{boilerplate},"
                f"{total - labeled},{progress},{text_cell(assigned_to)},"
                f"{text_cell(last_reviewed_by)},{_time_cell(last_reviewed_at, zone)},"
                f"{_time_cell(imported_at, zone)},{review_url.format(pk)}"
                # articles.revisions
                f",{revision},{_time_cell(revised_at, zone)},"
                # articles.quality
                f"{_quality_cells(quality, zone)}\r\n"
            )
        yield "".join(lines)
        if len(batch) < batch_size:
            return
        after = batch[-1][0]


def _quality_cells(quality: list, zone: datetime.tzinfo) -> str:
    """signed_off_by,signed_off_at,second_reviewer,agreement_percent of one article."""
    signed_off_by, signed_off_at, second_reviewer, compared, agreed, finished = quality
    percent = f"{agreed * 100 / compared:.3f}" if finished and compared else ""
    return (
        f"{text_cell(signed_off_by)},{_time_cell(signed_off_at, zone)},"
        f"{text_cell(second_reviewer)},{percent}"
    )


def _opinion_cells(row: tuple, opinions: bool) -> str:
    """second_label,second_labeled_by,adjudicated_by of one paragraph row."""
    second_label, second_by, adjudicated_by = row[-3:]
    if not opinions or not second_label:
        return f",,{text_cell(adjudicated_by) if opinions else ''}"
    return f"{second_label},{text_cell(second_by)},{text_cell(adjudicated_by)}"


def article_groups(
    articles, batch_size: int
) -> Iterator[dict[int, tuple[str, str, int, int | None]]]:
    """{id: (external_id, source, paragraph_count, source_articles)} of consecutive articles
    whose paragraphs number under `batch_size` together (queries.article_keys()).

    The stored paragraph counts only size the groups; paragraph_lines() pages through each group
    anyway, so a wrong count costs a query, never a row.
    """
    after = 0
    while True:
        keys = list(queries.article_keys(articles, after=after, limit=batch_size))
        group: dict[int, tuple[str, str, int, int | None]] = {}
        expected = 0
        for pk, external_id, source, paragraph_count, source_articles in keys:
            if group and expected + paragraph_count >= batch_size:
                yield group
                group, expected = {}, 0
            group[pk] = (external_id, source, paragraph_count, source_articles)
            expected += paragraph_count
        if group:
            yield group
        if len(keys) < batch_size:
            return
        after = keys[-1][0]


def paragraph_lines(
    articles, *, batch_size: int = BATCH_SIZE, opinions: bool = True
) -> Iterator[str]:
    """The paragraphs CSV's records for the `articles` queryset, by article id then position.
    `opinions` False leaves the second opinions' cells blank (a reviewer's export).

    The filtered articles are read once, in id order (⌊articles / batch_size⌋ + 1 queries), and their
    paragraphs in groups of fewer than `batch_size` (one query per group; an article longer than
    that pages by position). Re-running the queue's filter per paragraph batch would repeat a
    full-text search for every batch.
    """
    zone = timezone.get_current_timezone()
    thresholds = Thresholds.from_settings()
    suggesting = settings.NEWSREVIEW_BOILERPLATE_SUGGESTIONS
    contexts: dict[int, list] = {}  # a paged article's paragraphs, read once
    for group in article_groups(articles, batch_size):
        article_ids = list(group)
        # Each article's id cell is formatted once, not once per paragraph.
        id_cells = {
            pk: text_cell(external_id) for pk, (external_id, *_) in group.items()
        }
        after = (0, 0)
        while True:
            batch = queries.paragraph_rows(
                article_ids=article_ids, after=after, limit=batch_size
            )
            suggestions = (
                _suggestion_cells(
                    batch, articles=group, thresholds=thresholds, contexts=contexts
                )
                if suggesting
                else [",,"] * len(batch)
            )
            yield "".join(
                [
                    f"{id_cells[row[0]]},{row[1]},{row[2]},{text_cell(row[3])},"
                    f"{_time_cell(row[4], zone)},{text_cell(row[5])},{text_cell(row[6])},"
                    f"{suggestion}"
                    # articles.revisions
                    f",{row[10]},{row[11]},{row[12]},"
                    # articles.quality: the last three fields
                    f"{_opinion_cells(row, opinions)}\r\n"
                    for row, suggestion in zip(batch, suggestions, strict=True)
                ]
            )
            if len(batch) < batch_size:
                break
            after = batch[-1][:2]


def _suggestion_cells(
    batch: list[tuple],
    *,
    articles: dict[int, tuple[str, str, int, int | None]],
    thresholds: Thresholds,
    contexts: dict[int, list],
) -> list[str]:
    """`suggested_label,suggestion_reason,suggestion_score` of each queries.paragraph_rows() row
    of `batch`.

    `articles` is the batch's article_groups() group. Labeled paragraphs get their suggestion
    too, so the export can compare people with rules. The model sees each article whole: its
    rows in the batch, or (an article longer than a batch) all its paragraphs, read once into
    `contexts`.
    """
    counts = queries.repetition({(articles[row[0]][1], row[9]) for row in batch})
    model = active_model()
    by_article: dict[int, list[Signals]] = {}
    for (
        article_id,
        position,
        _,
        _,
        _,
        _,
        text,
        link_share,
        cues,
        text_hash,
        *_,
    ) in batch:
        _, source, paragraph_count, source_articles = articles[article_id]
        repeated_in, people, by = counts.get((source, text_hash), (0, 0, ""))
        by_article.setdefault(article_id, []).append(
            Signals(
                text=text,
                link_share=link_share,
                cues=cues,
                source=source,
                from_end=paragraph_count - position,
                repeated_in=repeated_in or 0,
                source_articles=source_articles or 0,
                people_boilerplate=people or 0,
                boilerplate_by=by or "",
                position=position,
            )
        )
    cells = []
    for article_id, signals in by_article.items():
        _, source, paragraph_count, _ = articles[article_id]
        # An article longer than a batch is paged: its neighbours come from one more query.
        context = None
        if len(signals) != paragraph_count:
            if article_id not in contexts:
                contexts.clear()  # articles come in order: only the current one is kept
                contexts[article_id] = article_context(article_id)
            context = contexts[article_id]
        score_signals(signals, source=source, model=model, context=context)
        for item in signals:
            suggestion = suggest(item, thresholds)
            cells.append(
                ",,"
                if suggestion is None
                else f"{suggestion.label},{text_cell(suggestion.reason)},"
                f"{suggestion.score:.2f}"
            )
    return cells


def csv_chunks(columns: Iterable[str], chunks: Iterable[str]) -> Iterator[str]:
    """The whole CSV: BOM and header first (sent before any query runs), then the records."""
    yield "\ufeff" + ",".join(columns) + "\r\n"
    for chunk in chunks:
        if chunk:
            yield chunk


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
    lines = article_lines(
        articles, review_url=review_url_format(base_url), batch_size=batch_size
    )
    return csv_response(
        csv_chunks(ARTICLE_COLUMNS, lines), filename=export_filename("status")
    )


def paragraphs_response(
    articles, *, batch_size: int = BATCH_SIZE, opinions: bool = True
) -> StreamingHttpResponse:
    """The paragraphs CSV of the `articles` queryset as a streamed download; `opinions` False
    leaves the second opinions blank."""
    lines = paragraph_lines(articles, batch_size=batch_size, opinions=opinions)
    return csv_response(
        csv_chunks(PARAGRAPH_COLUMNS, lines), filename=export_filename("paragraphs")
    )


@admin.action(description="Export selected articles as CSV", permissions=["export"])
def export_selected_as_csv(modeladmin, request, queryset) -> StreamingHttpResponse:
    """Admin action: the selected articles through the same writer as /export/articles.csv."""
    return articles_response(queryset, base_url=request.build_absolute_uri("/"))
