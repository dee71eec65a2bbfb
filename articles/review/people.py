"""The people the review page names: who else labeled the article lately, and whom a Lead can
assign it to."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, QuerySet

from articles.models import LabelEvent

# The groups whose members can be assigned articles (made by migration 0002_roles).
REVIEW_GROUPS = ("Reviewer", "Lead")


@dataclass(frozen=True)
class Activity:
    username: str
    paragraphs: int
    at: object  # an aware datetime


def assignable_users() -> QuerySet:
    """Active users in the Reviewer or Lead group, by username: who an article can go to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=REVIEW_GROUPS)
        .distinct()
        .order_by("username")
    )


def recent_activity(*, article_id: int, user, since) -> list[Activity]:
    """Who else changed labels in the article since `since`: how many paragraphs and when last,
    latest first, in one grouped query."""
    rows = (
        LabelEvent.objects.filter(
            article_id=article_id,
            field=LabelEvent.Field.LABEL,
            created_at__gte=since,
            user__isnull=False,
        )
        .exclude(user=user)
        .values("user__username")
        .annotate(paragraphs=Count("paragraph_id", distinct=True), at=Max("created_at"))
        .order_by("-at", "user__username")
    )
    return [
        Activity(row["user__username"], row["paragraphs"], row["at"]) for row in rows
    ]
