"""Reads: every query a page, an export or the admin runs is a method here.

Each method owns its select_related/only/annotations, so callers never cause N+1 queries.
"""

import datetime

from django.db import models
from django.utils import timezone


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


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

    def search(self, q: str) -> "ArticleQuerySet":
        """Articles whose title or any paragraph text contains `q`."""
        from articles.models import Paragraph

        in_paragraphs = Paragraph.objects.filter(
            article=models.OuterRef("pk"), text__icontains=q
        )
        return self.filter(models.Q(title__icontains=q) | models.Exists(in_paragraphs))

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
                "last_reviewed_at",
                "imported_at",
            )[:limit]
        )

    def export_keys(self, *, after: int, limit: int) -> models.QuerySet:
        """Up to `limit` (id, external_id, paragraph_count) with id > `after`, in id order."""
        return (
            self.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "external_id", "paragraph_count")[:limit]
        )


class ParagraphQuerySet(models.QuerySet):
    def export_rows(
        self, *, article_ids: list[int], after: tuple[int, int], limit: int
    ) -> models.QuerySet:
        """Up to `limit` paragraphs of `article_ids` after (article_id, position), in that order.

        One query on the (article, position) unique index; tuples for the paragraphs CSV.
        """
        article_id, position = after
        return (
            self.filter(article_id__in=article_ids)
            .filter(
                models.Q(article_id__gt=article_id)
                | models.Q(article_id=article_id, position__gt=position)
            )
            .order_by("article_id", "position")
            .values_list(
                "article_id",
                "position",
                "label",
                "labeled_by__username",
                "labeled_at",
                "note",
                "text",
            )[:limit]
        )


class LabelEventQuerySet(models.QuerySet):
    pass
