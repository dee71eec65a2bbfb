"""The queue's reads: which articles pass its filters, its totals per status and source, its
sorts and the columns a row shows. Functions over an Article QuerySet (`articles`)."""

import datetime
import json

from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from articles.models import Article, ArticleTally, ReviewStatus
from articles.queue.filters import DEFAULT_SORT, NO_SOURCE, SORTS
from articles.revisions.reads import changed_since_review
from articles.search.queries import newest_matches, search_articles


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _id_list(using: str, ids: list[int]) -> RawSQL:
    """`ids` as ONE bound parameter for `pk__in`: Django compiles a list of 1,000 values
    into 1,000 parameters for every query that uses it (8 ms per queue page, cProfile)."""
    if connections[using].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def matching(articles, filters: dict, *, user=None):
    """Articles that pass the queue's filters (articles.queue.filters.queue_filters)."""
    qs = articles
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if source := filters.get("source"):
        qs = qs.filter(source="" if source == NO_SOURCE else source)
    assigned = filters.get("assigned")
    if assigned == "me" and user is not None:
        qs = qs.filter(assigned_to=user)
    elif assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    quality = filters.get("quality")
    if quality == "returned":
        qs = qs.filter(returned__isnull=False)
    elif quality == "second_review":
        qs = qs.filter(
            second_review__isnull=False, second_review__finished_at__isnull=True
        )
    if day := filters.get("imported_from"):
        qs = qs.filter(imported_at__gte=_day_start(day))
    if day := filters.get("imported_to"):
        qs = qs.filter(imported_at__lt=_day_start(day + datetime.timedelta(days=1)))
    if filters.get("changed"):
        qs = changed_since_review(qs)
    if q := filters.get("q"):
        qs = search_articles(qs, q)
    return qs


def queue_scope(articles, filters: dict, *, user=None, cap: int) -> tuple:
    """(articles, filters left, cut): what the queue's totals and page read.

    Without a text search: `articles` and all of `filters`. With one, the search and every filter
    but status and source are answered ONCE, as the ids of at most `cap` matches, newest
    import (highest id) first; the totals and the page then read those ids. A word in most
    articles (?q=said) is then looked up once and counted over `cap` articles, not over all
    of them three times. `cut` says there were more matches than `cap`.
    """
    if "q" not in filters:
        return articles, filters, False
    left = {k: v for k, v in filters.items() if k in ("status", "source", "sort")}
    rest = {k: v for k, v in filters.items() if k not in ("status", "source")}
    if rest.keys() <= {"q", "sort"}:
        ids = newest_matches(articles, filters["q"], limit=cap + 1)
    else:
        ids = list(
            matching(articles, rest, user=user)
            .order_by("-pk")
            .values_list("pk", flat=True)[: cap + 1]
        )
    return (
        articles.filter(pk__in=_id_list(articles.db, ids[:cap])),
        left,
        len(ids) > cap,
    )


def queue_facets(articles, filters: dict, *, user=None) -> dict[str, dict[str, int]]:
    """{"status": {status: n}, "source": {source: n}} in ONE query (a UNION ALL).

    Each facet counts the articles that pass every other filter, so a count is what the
    user gets by choosing that value; the queue's paginator takes its total from here.
    Filtered by status and source at most, the whole queue's are read from ArticleTally (a
    few rows) instead of counted, and a search's (queue_scope) come from one GROUP BY.
    """
    facets: dict[str, dict[str, int]] = {"status": {}, "source": {}}
    if filters.keys() <= {"status", "source", "sort"}:
        return _facets_by_source_and_status(articles, filters, facets)
    parts = [
        matching(articles, {k: v for k, v in filters.items() if k != field}, user=user)
        .order_by()
        .values(field)
        .annotate(
            facet=models.Value(field, output_field=models.CharField()),
            n=models.Count("pk"),
        )
        .values_list("facet", field, "n")
        for field in facets
    ]
    for facet, value, n in parts[0].union(*parts[1:], all=True):
        facets[facet][value] = n
    return facets


def _facets_by_source_and_status(
    articles, filters: dict, facets: dict
) -> dict[str, dict[str, int]]:
    # Both facets from one list of (source, status, n): ArticleTally's rows for the whole
    # queue, else one GROUP BY over these articles (a search's capped matches).
    if articles.query.where:
        rows = (
            articles.order_by()
            .values_list("source", "status")
            .annotate(n=models.Count("pk"))
        )
    else:
        rows = (
            ArticleTally.objects.using(articles.db)
            .filter(articles__gt=0)
            .values_list("source", "status", "articles")
        )
    status, source = filters.get("status"), filters.get("source")
    if source == NO_SOURCE:
        source = ""
    for row_source, row_status, n in rows:
        if source in (None, row_source):
            facets["status"][row_status] = facets["status"].get(row_status, 0) + n
        if status in (None, row_status):
            facets["source"][row_source] = facets["source"].get(row_source, 0) + n
    return facets


def in_order(articles, sort: str):
    """Ordered by one of the queue's sorts (articles.queue.filters.SORTS), else newest first.

    Only the alias the sort orders by is added: building and resolving both on every queue
    page cost 0.5 ms, for sorts (progress, status) that are rarely chosen."""
    _, ordering = SORTS.get(sort) or SORTS[DEFAULT_SORT]
    names = {
        item.expression.name
        for item in ordering
        if isinstance(item.expression, models.F)
    }
    aliases = {name: make() for name, make in _ALIASES.items() if name in names}
    return (articles.alias(**aliases) if aliases else articles).order_by(*ordering)


def _labeled_share():
    labeled = (
        models.F("verified_count")
        + models.F("unverified_count")
        + models.F("boilerplate_count")
    )
    return Coalesce(
        Cast(labeled, models.FloatField())
        / NullIf(Cast("paragraph_count", models.FloatField()), 0.0),
        0.0,
    )


def _status_rank():
    return models.Case(
        *(
            models.When(status=status, then=rank)
            for rank, status in enumerate(ReviewStatus.values)
        ),
        output_field=models.IntegerField(),
    )


# The aliases the sorts of articles.queue.filters.SORTS order by.
_ALIASES = {"labeled_share": _labeled_share, "status_rank": _status_rank}


# The columns a queue row shows (articles.queue.rows), by their values_list() names, and the
# second review's, for blind_among().
ROW_FIELDS = (
    "pk",
    "title",
    "source",
    "status",
    "paragraph_count",
    "verified_count",
    "unverified_count",
    "boilerplate_count",
    "imported_at",
    "last_reviewed_at",
    "assigned_to__username",
    "last_reviewed_by__username",
    "returned",
    "returned__reason",
    "second_review__reviewer",
    "second_review__finished_at",
)


def page_rows(page_ids, sort: str) -> list:
    """The rows of one page of the queue: `page_ids` is a slice of the ordered ids
    (`in_order(…).values("pk")[a:b]`), read with the columns a row shows as named tuples
    (ROW_FIELDS), in the same order.

    The ids are sorted and cut to the page in a subquery, and only then are both users, an
    open return and the second review joined in: joined before the sort, as one query over
    every match, a common word's 1,000 matches cost 1.5 ms of SQLite's time for 50 rows, now
    0.35 ms. Named tuples, not Articles: building 50 models with three related ones cost
    more than the SQL.
    """
    articles = Article.objects.using(page_ids.db).filter(pk__in=page_ids)
    return list(in_order(articles, sort).values_list(*ROW_FIELDS, named=True))


def blind_among(rows: list, user) -> set[int]:
    """Which of these rows (page_rows()) `user` is second-reviewing now: their rows must not
    show the first opinion (articles.quality). The rule of ArticleQuerySet.blind_to, read
    from the second review joined into the page's query: as a query of its own, or an EXISTS
    per row, it cost 0.45 ms of the page's 5 (tests/quality and tests/test_queue_views.py
    hold the two to the same answer)."""
    if user.pk is None:
        return set()
    return {
        row.pk
        for row in rows
        if row.second_review__reviewer == user.pk
        and row.second_review__finished_at is None
    }
