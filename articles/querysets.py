"""Reads: every query a page, an export or the admin runs is a method here.

Each method owns its select_related/only/annotations, so callers never cause N+1 queries.
"""

import datetime
import json

from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

# The groups whose members can be assigned articles (made by migration 0002_roles).
REVIEW_GROUPS = ("Reviewer", "Lead")


def assignable_users() -> models.QuerySet:
    """Active users in the Reviewer or Lead group, by username: who an article can go to."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=REVIEW_GROUPS)
        .distinct()
        .order_by("username")
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _utc_time(field: str) -> models.ExpressionWrapper:
    """`field` read without Django's per-value datetime converter, for the exports.

    The database hands back a datetime (naive UTC on SQLite, aware on PostgreSQL); on SQLite the
    converter that makes it aware costs a third of the articles export's time.
    """
    return models.ExpressionWrapper(models.F(field), output_field=models.Field())


def _id_list(using: str, ids: list[int]) -> RawSQL:
    """`ids` as ONE bound parameter for `pk__in`: Django compiles a list of 1,000 values
    into 1,000 parameters for every query that uses it (8 ms per queue page, cProfile)."""
    if connections[using].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


class ArticleQuerySet(models.QuerySet):
    def matching(self, filters: dict, *, user=None) -> "ArticleQuerySet":
        """Articles that pass the queue's filters (articles.filters.queue_filters)."""
        qs = self
        if status := filters.get("status"):
            qs = qs.filter(status=status)
        if source := filters.get("source"):
            qs = qs.filter(source=source)
        assigned = filters.get("assigned")
        if assigned == "me" and user is not None:
            qs = qs.filter(assigned_to=user)
        elif assigned == "none":
            qs = qs.filter(assigned_to__isnull=True)
        if day := filters.get("imported_from"):
            qs = qs.filter(imported_at__gte=_day_start(day))
        if day := filters.get("imported_to"):
            qs = qs.filter(imported_at__lt=_day_start(day + datetime.timedelta(days=1)))
        if q := filters.get("q"):
            qs = qs.search(q)
        return qs

    def queue_scope(
        self, filters: dict, *, user=None, cap: int
    ) -> tuple["ArticleQuerySet", dict, bool]:
        """(articles, filters left, cut): what the queue's totals and page read.

        Without a text search: self and all of `filters`. With one, the search and every filter
        but status and source are answered ONCE, as the ids of at most `cap` matches, newest
        import (highest id) first; the totals and the page then read those ids. A word in most
        articles (?q=said) is then looked up once and counted over `cap` articles, not over all
        of them three times. `cut` says there were more matches than `cap`.
        """
        if "q" not in filters:
            return self, filters, False
        left = {k: v for k, v in filters.items() if k in ("status", "source", "sort")}
        rest = {k: v for k, v in filters.items() if k not in ("status", "source")}
        if rest.keys() <= {"q", "sort"}:
            from articles.search import newest_matches

            ids = newest_matches(self, filters["q"], limit=cap + 1)
        else:
            ids = list(
                self.matching(rest, user=user)
                .order_by("-pk")
                .values_list("pk", flat=True)[: cap + 1]
            )
        return self.filter(pk__in=_id_list(self.db, ids[:cap])), left, len(ids) > cap

    def queue_facets(self, filters: dict, *, user=None) -> dict[str, dict[str, int]]:
        """{"status": {status: n}, "source": {source: n}} in ONE query (a UNION ALL).

        Each facet counts the articles that pass every other filter, so a count is what the
        user gets by choosing that value; the queue's paginator takes its total from here.
        Filtered by status and source at most, the whole queue's are read from ArticleTally (a
        few rows) instead of counted, and a search's (queue_scope) come from one GROUP BY.
        """
        facets: dict[str, dict[str, int]] = {"status": {}, "source": {}}
        if filters.keys() <= {"status", "source", "sort"}:
            return self._facets_by_source_and_status(filters, facets)
        parts = [
            self.matching({k: v for k, v in filters.items() if k != field}, user=user)
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
        self, filters: dict, facets: dict
    ) -> dict[str, dict[str, int]]:
        # Both facets from one list of (source, status, n): ArticleTally's rows for the whole
        # queue, else one GROUP BY over these articles (a search's capped matches).
        from articles.models import ArticleTally

        if self.query.where:
            rows = (
                self.order_by()
                .values_list("source", "status")
                .annotate(n=models.Count("pk"))
            )
        else:
            rows = (
                ArticleTally.objects.using(self.db)
                .filter(articles__gt=0)
                .values_list("source", "status", "articles")
            )
        status, source = filters.get("status"), filters.get("source")
        for row_source, row_status, n in rows:
            if source in (None, row_source):
                facets["status"][row_status] = facets["status"].get(row_status, 0) + n
            if status in (None, row_status):
                facets["source"][row_source] = facets["source"].get(row_source, 0) + n
        return facets

    def in_order(self, sort: str) -> "ArticleQuerySet":
        """Ordered by one of the queue's sorts (articles.filters.SORTS), else newest first."""
        from articles.filters import DEFAULT_SORT, SORTS
        from articles.models import ReviewStatus

        _, ordering = SORTS.get(sort) or SORTS[DEFAULT_SORT]
        labeled = (
            models.F("verified_count")
            + models.F("unverified_count")
            + models.F("boilerplate_count")
        )
        return self.alias(
            labeled_share=Coalesce(
                Cast(labeled, models.FloatField())
                / NullIf(
                    Cast("paragraph_count", models.FloatField()),
                    0.0,
                ),
                0.0,
            ),
            status_rank=models.Case(
                *(
                    models.When(status=status, then=rank)
                    for rank, status in enumerate(ReviewStatus.values)
                ),
                output_field=models.IntegerField(),
            ),
        ).order_by(*ordering)

    def for_queue(self) -> "ArticleQuerySet":
        """Only the columns a queue row shows, with both users joined in the same query."""
        return self.select_related("assigned_to", "last_reviewed_by").only(
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
        )

    def search(self, q: str) -> "ArticleQuerySet":
        """Articles whose title or any paragraph contains the words of `q`, on a full-text index.

        The words in order, the last one possibly the start of a longer word (articles.search).
        """
        from articles.search import search_articles

        return search_articles(self, q)

    # Keyset pagination (`id > after ORDER BY id LIMIT n`): every batch is one indexed query, however
    # deep into the export it is, and users' names come by join in the same query.
    def export_rows(self, *, after: int, limit: int) -> models.QuerySet:
        """Up to `limit` articles with id > `after`, in id order, as tuples for the articles CSV."""
        return (
            self.filter(pk__gt=after)
            .order_by("pk")
            .values_list(
                "pk",
                "external_id",
                "title",
                "source",
                "url",
                "status",
                "paragraph_count",
                "verified_count",
                "unverified_count",
                "boilerplate_count",
                "assigned_to__username",
                "last_reviewed_by__username",
                _utc_time("last_reviewed_at"),
                _utc_time("imported_at"),
            )[:limit]
        )

    def export_keys(self, *, after: int, limit: int) -> models.QuerySet:
        """Up to `limit` articles with id > `after`, in id order, as (id, external_id, source,
        paragraph_count, source_articles): the paragraphs CSV's cells of each article, read once.

        source_articles is the source's article count (RepeatedText's row with text_hash ""),
        one indexed lookup per article rather than one per paragraph.
        """
        from articles.models import RepeatedText

        source_articles = RepeatedText.objects.filter(
            source=models.OuterRef("source"), text_hash=""
        ).values("article_count")[:1]
        return (
            self.filter(pk__gt=after)
            .order_by("pk")
            .values_list(
                "pk",
                "external_id",
                "source",
                "paragraph_count",
                models.Subquery(source_articles),
            )[:limit]
        )

    def for_review(self) -> "ArticleQuerySet":
        """The review page's article with its assignee and last reviewer joined in."""
        return self.select_related("assigned_to", "last_reviewed_by")

    def needing_review(self) -> "ArticleQuerySet":
        return self.exclude(status="reviewed")

    # The queue's default order is newest import first, then highest id (Article.Meta.ordering);
    # "next" walks down that order from `article`, "previous" walks back up it.
    def after_in_queue(self, article) -> "ArticleQuerySet":
        """Articles after `article` in the queue's default order, nearest first."""
        return self.filter(
            models.Q(imported_at__lt=article.imported_at)
            | models.Q(imported_at=article.imported_at, pk__lt=article.pk)
        ).order_by("-imported_at", "-id")

    def before_in_queue(self, article) -> "ArticleQuerySet":
        """Articles before `article` in the queue's default order, nearest first."""
        return self.filter(
            models.Q(imported_at__gt=article.imported_at)
            | models.Q(imported_at=article.imported_at, pk__gt=article.pk)
        ).order_by("imported_at", "id")


class ParagraphQuerySet(models.QuerySet):
    def export_batch(
        self, *, article_ids: list[int], after: tuple[int, int], limit: int
    ) -> "ParagraphQuerySet":
        """Up to `limit` paragraphs of `article_ids` after (article_id, position), in that order:
        one batch of the paragraphs CSV, read on the (article, position) unique index."""
        article_id, position = after
        return (
            self.filter(article_id__in=article_ids)
            .filter(
                models.Q(article_id__gt=article_id)
                | models.Q(article_id=article_id, position__gt=position)
            )
            .order_by("article_id", "position")[:limit]
        )

    def export_rows(
        self, *, article_ids: list[int], after: tuple[int, int], limit: int
    ) -> list[tuple]:
        """The export_batch() as tuples for the paragraphs CSV, with its texts' repetition
        counts, in ONE query.

        Each tuple: article_id, position, label, labeled_by's username, labeled_at (UTC), note,
        text, link_share, cues, then from RepeatedText by (article's source, text_hash):
        article_count, boilerplate_labels and last_labeled_by's username (None when missing).
        Django cannot join models without a relation, so the batch's own SQL is wrapped in the
        LEFT JOINs the review page reads them with (paragraph_reads.repetition_join): one index
        lookup per paragraph. Four correlated subqueries (one per column) were most of the
        export's time.
        """
        from django.db import connections

        from articles.models import Article
        from articles.paragraph_reads import repetition_join

        batch = self.export_batch(
            article_ids=article_ids, after=after, limit=limit
        ).values(
            "article_id",
            "position",
            "label",
            "labeled_by__username",
            "note",
            "text",
            "link_share",
            "cues",
            "text_hash",
            labeled_at_utc=_utc_time("labeled_at"),
            # A lookup by primary key per row, not a join: with a join PostgreSQL hashes the
            # whole article table for every batch (EXPLAIN ANALYZE: 14 ms at 20,000 articles).
            source=models.Subquery(
                Article.objects.filter(pk=models.OuterRef("article_id"))
                .order_by()
                .values("source")[:1]
            ),
        )
        connection = connections[self.db]
        sql, params = batch.query.get_compiler(connection=connection).as_sql()
        q = connection.ops.quote_name
        columns = ", ".join(
            f"b.{q(alias)}"
            for alias in (
                "article_id",
                "position",
                "label",
                "labeled_by__username",
                "labeled_at_utc",
                "note",
                "text",
                "link_share",
                "cues",
            )
        )
        repetition, repetition_joins = repetition_join(
            connection, source=f"b.{q('source')}", text_hash=f"b.{q('text_hash')}"
        )
        with connection.cursor() as cursor:
            # Only quoted table and column names are formatted in; values stay parameters.
            cursor.execute(
                f"SELECT {columns}, {repetition} FROM ({sql}) b {repetition_joins} "  # noqa: S608
                f"ORDER BY b.{q('article_id')}, b.{q('position')}",
                params,
            )
            return cursor.fetchall()


class RepeatedTextQuerySet(models.QuerySet):
    def most_repeated(self, *, source: str = "") -> "RepeatedTextQuerySet":
        """Texts in at least two articles, most repeated first, with a sample text and the
        user who last labeled them boilerplate, in ONE query (the Boilerplate page's list)."""
        from articles.models import Paragraph

        qs = self.filter(article_count__gte=2).exclude(text_hash="")
        if source:
            qs = qs.filter(source=source)
        sample = Paragraph.objects.filter(
            text_hash=models.OuterRef("text_hash"),
            article__source=models.OuterRef("source"),
        ).order_by()
        return (
            qs.select_related("last_labeled_by")
            .annotate(sample=models.Subquery(sample.values("text")[:1]))
            .order_by("-article_count", "source", "text_hash")
        )

    def sources(self) -> "RepeatedTextQuerySet":
        """(source, articles) of every source, by name: the source rows (text_hash "")."""
        return (
            self.filter(text_hash="")
            .order_by("source")
            .values_list("source", "article_count")
        )
