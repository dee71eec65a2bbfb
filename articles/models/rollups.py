"""The dashboard's daily roll-ups (articles.dashboard), kept current by database triggers
(articles.rollup_triggers) as label events and article statuses are written,
so the dashboard reads a few hundred rows, never the millions of events behind them.

Days are UTC calendar days. A reviewer is a plain user id (0: an event without a user), not a
foreign key: the roll-ups are counters, and a counter row must never block or cascade a
user's deletion. `rebuild_dashboard` recounts every table from the audit trail.
"""

from django.db import models


class LabelDay(models.Model):
    """What one reviewer did to one source's paragraphs on one day.

    verified/unverified/boilerplate: label events that set that label (every method: clicks,
    keys, bulk, suggestions, propagation, undo); cleared: events that removed a label; by_hand:
    the labels set by click or key among them; fast: hand labels that ended a run of
    DashboardSetting.fast_labels labels within fast_seconds (no time to read); finished:
    articles whose last unlabeled paragraph this reviewer labeled that day.
    """

    day = models.DateField()
    reviewer_id = models.IntegerField()
    source = models.CharField(max_length=253)
    verified = models.IntegerField(db_default=0)
    unverified = models.IntegerField(db_default=0)
    boilerplate = models.IntegerField(db_default=0)
    cleared = models.IntegerField(db_default=0)
    by_hand = models.IntegerField(db_default=0)
    fast = models.IntegerField(db_default=0)
    finished = models.IntegerField(db_default=0)

    class Meta:
        permissions = [
            (
                "view_team_dashboard",
                "Can see every reviewer's figures on the dashboard",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "reviewer_id", "source"], name="label_day_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["day", "source"], name="label_day_source"),
        ]

    def __str__(self) -> str:
        return f"{self.day} reviewer {self.reviewer_id} {self.source}"


class PaceDay(models.Model):
    """How many of one reviewer's hand labels on one day came `seconds` after their previous
    hand label (any article): a histogram whose medians are exact to its buckets.

    Buckets (articles.dashboard.pace.bucket): whole seconds below 2 minutes, 10 s to
    10 minutes, 1 minute to an hour; a longer gap (or none) is a new sitting, not counted.
    """

    day = models.DateField()
    reviewer_id = models.IntegerField()
    seconds = models.IntegerField()
    events = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "reviewer_id", "seconds"], name="pace_day_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} reviewer {self.reviewer_id} {self.seconds}s: {self.events}"


class StatusDay(models.Model):
    """The net change on one day of how many articles of one source hold one status.

    Every status there is counts, whatever ReviewStatus holds: an import adds 1 to the
    article's status, a change of status moves 1 from the old to the new, a deletion takes 1
    away. The articles in a status at the end of a day are the sum of its changes up to it.
    """

    day = models.DateField()
    source = models.CharField(max_length=253)
    status = models.CharField(max_length=12)
    delta = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "source", "status"], name="status_day_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.source} {self.status}: {self.delta:+d}"


class DashboardSetting(models.Model):
    """One row (id 1): the fast-run rule the triggers flag with, copied from the settings
    NEWSREVIEW_FAST_RUN_LABELS and NEWSREVIEW_FAST_RUN_SECONDS after every migrate and by
    `rebuild_dashboard` (which also recounts the flags under a changed rule); whether the
    roll-ups are stale: label events were edited or deleted, or an article's import time
    changed (never by the product: the audit trail is append-only), so the next dashboard
    request recounts them before it reads; and the time zone of their days."""

    fast_labels = models.PositiveIntegerField()
    fast_seconds = models.PositiveIntegerField()
    stale = models.BooleanField(db_default=False)
    # The zone whose calendar days the roll-ups were counted in (the recount writes
    # settings.TIME_ZONE; PostgreSQL's triggers read it). The dashboard says when it is no
    # longer the settings' (then `rebuild_dashboard` recounts).
    time_zone = models.CharField(max_length=64, db_default="UTC")

    def __str__(self) -> str:
        return f"{self.fast_labels} labels in {self.fast_seconds} s"
