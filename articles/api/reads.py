"""What the API's article endpoints read: a page of articles after a cursor, one article whole."""

import datetime

from django.db.models import F, Q
from django.shortcuts import get_object_or_404

from articles.boilerplate.suggestions import attach_repetition, attach_suggestions
from articles.models import Article
from articles.queue.queries import matching

ROW_FIELDS = {
    "id": F("id"),
    "external_id": F("external_id"),
    "title": F("title"),
    "source": F("source"),
    "url": F("url"),
    "status": F("status"),
    "paragraphs": F("paragraph_count"),
    "verified": F("verified_count"),
    "unverified": F("unverified_count"),
    "boilerplate": F("boilerplate_count"),
    "assigned_to": F("assigned_to__username"),
    "last_reviewed_by": F("last_reviewed_by__username"),
    "last_reviewed_at": F("last_reviewed_at"),
    "imported_at": F("imported_at"),
}


def article_page(
    filters: dict,
    *,
    user,
    after: int,
    limit: int,
    imported_since: datetime.datetime | None = None,
    updated_since: datetime.datetime | None = None,
) -> tuple[list[dict], int | None]:
    """Up to `limit` articles passing the queue's `filters` with id > `after`, in id order (new
    articles come last, so a follower's cursor never skips one), and the next cursor (None on
    the last page). "Updated" is imported or labeled: a label change moves last_reviewed_at."""
    articles = matching(Article.objects.all(), filters, user=user)
    if imported_since:
        articles = articles.filter(imported_at__gte=imported_since)
    if updated_since:
        articles = articles.filter(
            Q(imported_at__gte=updated_since) | Q(last_reviewed_at__gte=updated_since)
        )
    rows = list(
        articles.filter(pk__gt=after)
        .order_by("pk")
        .values(**{f"_{name}": value for name, value in ROW_FIELDS.items()})[
            : limit + 1
        ]
    )
    rows = [{name[1:]: value for name, value in row.items()} for row in rows]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1]["id"] if more else None


def article_whole(pk: int) -> dict:
    """One article as a row with its paragraphs, their labels, notes and suggestions (three
    queries: the article, its paragraphs with their labelers, their texts' repetition)."""
    article = get_object_or_404(
        Article.objects.select_related("assigned_to", "last_reviewed_by"), pk=pk
    )
    paragraphs = list(
        article.paragraphs.select_related("labeled_by").order_by("position")
    )
    attach_repetition(paragraphs, source=article.source)
    attach_suggestions(paragraphs, article=article)
    row = {
        name: getattr(article, value.name)
        for name, value in ROW_FIELDS.items()
        if "__" not in value.name
    }
    row["assigned_to"] = article.assigned_to and article.assigned_to.get_username()
    row["last_reviewed_by"] = (
        article.last_reviewed_by and article.last_reviewed_by.get_username()
    )
    row["paragraph_list"] = [
        {
            "position": p.position,
            "html": p.html,
            "text": p.text,
            "label": p.label,
            "labeled_by": p.labeled_by and p.labeled_by.get_username(),
            "labeled_at": p.labeled_at,
            "note": p.note,
            "version": p.version,
            "suggestion": p.suggestion
            and {"label": p.suggestion.label, "reason": p.suggestion.reason},
        }
        for p in paragraphs
    ]
    return row
