"""The people the review page names: who else labeled the article lately, and whom a Lead can
assign it to."""

from dataclasses import dataclass

from articles.auth import REVIEW_GROUPS, assignable_users
from articles.models import LabelEvent

__all__ = [
    "REVIEW_GROUPS",
    "Activity",
    "assignable_users",
    "busy_articles",
    "recent_activity",
]


@dataclass(frozen=True)
class Activity:
    username: str
    paragraphs: int
    at: object  # an aware datetime


def recent_activity(*, article, user, since) -> list[Activity]:
    """Who else changed labels in `article` since `since`: how many paragraphs and when last,
    latest first. One query for the window's events, counted here: a GROUP BY with COUNT
    (DISTINCT) and MAX cost four times as much to compile as the few rows cost to read.

    None when the article's last label change is older than `since`: every person's label
    change moves `last_reviewed_at` (articles.models.status.update_counts), so most pages
    need no query at all (7% of the review page)."""
    if article.last_reviewed_at is None or article.last_reviewed_at < since:
        return []
    events = (
        LabelEvent.objects.filter(
            article_id=article.pk,
            field=LabelEvent.Field.LABEL,
            created_at__gte=since,
            user__isnull=False,
        )
        .exclude(user=user)
        .values_list("user__username", "paragraph_id", "created_at")
    )
    paragraphs: dict[str, set[int]] = {}
    last: dict[str, object] = {}
    for username, paragraph_id, at in events:
        paragraphs.setdefault(username, set()).add(paragraph_id)
        last[username] = max(at, last.get(username, at))
    people = sorted(last, key=lambda name: (-last[name].timestamp(), name))
    return [Activity(name, len(paragraphs[name]), last[name]) for name in people]


def busy_articles(*, user, since) -> set[int]:
    """The articles someone other than `user` changed labels in since `since`: somebody is
    working in them right now (Next/Previous pass them over)."""
    return set(
        LabelEvent.objects.filter(
            created_at__gte=since, field=LabelEvent.Field.LABEL, user__isnull=False
        )
        .exclude(user=user)
        .values_list("article_id", flat=True)
        .distinct()
    )
