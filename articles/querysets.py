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


class ParagraphQuerySet(models.QuerySet):
    pass


class LabelEventQuerySet(models.QuerySet):
    pass
