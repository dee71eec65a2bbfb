"""GET /api/v1/events: every label and note change, in order, for a system that follows them.

The cursor is a LabelEvent id: a follower asks for the events after the last id it has, and
gets them in id order. It sees each event exactly once, on one condition: no event with a
smaller id may become visible after a larger one was served. On SQLite that cannot happen (one
writer at a time, ids handed out under its lock). On PostgreSQL it can: ids come from a
sequence when a row is inserted, and a transaction that took id 100 may commit after one that
took 101. So a page stops before the first event that is too recent to be sure of: one newer
than NEWSREVIEW_EVENTS_SETTLE_SECONDS, or newer than the start of the oldest write
transaction still open in another session on this database (pg_stat_activity), whichever is
earlier. Any event
a later commit can still reveal was inserted by a transaction that is open now (so its start
is the bound), or will be inserted later with a larger id. The settle window covers the
difference between the app server's clock, which stamps created_at, and the database's.
A follower therefore lags by the settle window, never skips.
"""

import datetime

from django.conf import settings
from django.db import connections
from django.db.models import F
from django.utils import timezone

from articles.models import Article, LabelEvent

# An event's created_at is stamped before its INSERT runs; a transaction that started at most
# this long after that stamp can still have taken a smaller id.
_STAMP_SLACK = datetime.timedelta(seconds=1)


def settled_before(using: str = "default") -> datetime.datetime | None:
    """Events created at or after this may still be overtaken by one not yet visible; None
    when every visible event is settled (SQLite without a settle window)."""
    connection = connections[using]
    seconds = settings.NEWSREVIEW_EVENTS_SETTLE_SECONDS
    bound = timezone.now() - datetime.timedelta(seconds=seconds) if seconds else None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT min(xact_start) FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_xid IS NOT NULL "
                "AND pid <> pg_backend_pid()"
            )
            (oldest,) = cursor.fetchone()
        if oldest is not None:
            oldest -= _STAMP_SLACK
            bound = oldest if bound is None else min(bound, oldest)
    return bound


def event_page(*, after: int, limit: int, user=None) -> tuple[list[dict], int]:
    """Up to `limit` settled events with id > `after`, in id order, and the cursor to ask
    with next (the last id served, or `after` when none was). `user`'s blind second reviews'
    articles are left out: their first labels are not theirs to see (articles.quality)."""
    events = LabelEvent.objects.filter(pk__gt=after)
    if user is not None:
        events = events.exclude(article__in=Article.objects.blind_to(user).values("pk"))
    rows = list(
        events.order_by("pk").values(
            "id",
            "article_id",
            "field",
            "old_value",
            "new_value",
            "method",
            "created_at",
            external_id=F("article__external_id"),
            position=F("paragraph__position"),
            user_name=F("user__username"),
        )[:limit]
    )
    bound = settled_before()
    if bound is not None:
        for index, row in enumerate(rows):
            if row["created_at"] >= bound:
                del rows[index:]
                break
    for row in rows:
        row["user"] = row.pop("user_name")
    return rows, rows[-1]["id"] if rows else after
