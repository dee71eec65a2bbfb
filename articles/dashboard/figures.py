"""The dashboard's numbers, read from the daily roll-ups in a fixed number of queries (eight,
whatever the data): never from the label events themselves. When label events were edited with
SQL since the last count (the roll-ups are marked stale), the roll-ups are recounted first.

Backlog is the desk's (every article of the chosen source, whoever reviews it); throughput,
pace and label mix are the chosen reviewer's, or everyone's for a Lead who chose nobody. Pace
spans sources (a gap runs from one article to the next), so it ignores the source filter.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, F, Q, Sum, Value, When

from articles.dashboard.filters import Scope
from articles.dashboard.pace import Median, lower_median
from articles.dashboard.rollups import current_rule, refresh_if_stale
from articles.models import (
    AgreementTally,
    ArticleTally,
    DashboardSetting,
    LabelDay,
    PaceDay,
    ReviewStatus,
    StatusDay,
)
from articles.review.people import REVIEW_GROUPS

LINE_SOURCES = (
    5  # sources drawn in the boilerplate-share chart (the table has them all)
)
NOBODY = "(no user)"


@dataclass
class DayWork:
    day: datetime.date
    labeled: int = 0
    cleared: int = 0
    by_hand: int = 0
    finished: int = 0
    fast: int = 0


@dataclass
class ReviewerWork:
    reviewer_id: int
    name: str = ""
    labeled: int = 0
    by_hand: int = 0
    finished: int = 0
    fast: int = 0
    median: Median | None = None


@dataclass
class ReviewerAgreement:
    """One reviewer's compared paragraphs in submitted second reviews (either side of the pair)
    and how many of them the two opinions agreed on (articles.quality's AgreementTally)."""

    name: str
    compared: int = 0
    agreed: int = 0

    @property
    def percent(self) -> float:
        return self.agreed * 100 / self.compared if self.compared else 0.0


@dataclass
class SourceMix:
    source: str
    verified: int = 0
    unverified: int = 0
    boilerplate: int = 0

    @property
    def labeled(self) -> int:
        return self.verified + self.unverified + self.boilerplate

    def share(self, label: str) -> float:
        return 100 * getattr(self, label) / self.labeled if self.labeled else 0.0


@dataclass
class SharePoint:
    day: datetime.date
    boilerplate: int = 0
    labeled: int = 0

    @property
    def share(self) -> float | None:
        return 100 * self.boilerplate / self.labeled if self.labeled else None


@dataclass
class Figures:
    scope: Scope
    statuses: list[tuple[str, str]]
    backlog: list[tuple[datetime.date, dict[str, int]]]
    daily: list[DayWork]
    reviewers: list[ReviewerWork]
    mix: list[SourceMix]
    share_sources: list[str]
    shares: dict[str, list[SharePoint]]
    fast_rule: tuple[int, int] | None
    break_seconds: int
    # The zone whose calendar days the roll-ups were counted in (DashboardSetting).
    time_zone: str = "UTC"
    people: dict[int, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    agreement: list[ReviewerAgreement] = field(default_factory=list)

    @property
    def zone_is_current(self) -> bool:
        """Whether the days are the desk's (settings.TIME_ZONE) or, after a change of it,
        still another zone's until `rebuild_dashboard`."""
        return self.time_zone == settings.TIME_ZONE

    @property
    def rule_is_current(self) -> bool:
        return self.fast_rule == (
            settings.NEWSREVIEW_FAST_RUN_LABELS,
            settings.NEWSREVIEW_FAST_RUN_SECONDS,
        )


def _in_range(rows, scope: Scope):
    return rows.filter(day__gte=scope.start, day__lte=scope.end)


def _backlog(scope: Scope) -> tuple[list[tuple[str, str]], list]:
    """Articles in each status at the end of every day: the changes before the range (one
    query) plus each day's (one query)."""
    rows = StatusDay.objects.all()
    if scope.source is not None:
        rows = rows.filter(source=scope.source)
    before = dict(
        rows.filter(day__lt=scope.start)
        .values_list("status")
        .annotate(n=Sum("delta"))
        .values_list("status", "n")
    )
    changes: dict[datetime.date, dict[str, int]] = {}
    for day, status, n in (
        _in_range(rows, scope)
        .values_list("day", "status")
        .annotate(n=Sum("delta"))
        .values_list("day", "status", "n")
    ):
        changes.setdefault(day, {})[status] = n
    statuses = list(ReviewStatus.choices)
    known = {value for value, _ in statuses}
    extra = sorted(
        ({*before, *(s for day in changes.values() for s in day)} - known) - {""}
    )
    statuses += [(value, value.replace("_", " ").capitalize()) for value in extra]
    running = {value: before.get(value, 0) for value, _ in statuses}
    backlog = []
    for day in scope.days:
        for status, n in changes.get(day, {}).items():
            running[status] = running.get(status, 0) + n
        backlog.append((day, dict(running)))
    return statuses, backlog


def _work(scope: Scope) -> tuple[list[DayWork], dict[int, ReviewerWork]]:
    """Throughput per day and per reviewer: one query, grouped by (day, reviewer)."""
    rows = _in_range(LabelDay.objects.all(), scope)
    if scope.source is not None:
        rows = rows.filter(source=scope.source)
    if scope.reviewer is not None:
        rows = rows.filter(reviewer_id=scope.reviewer)
    days = {day: DayWork(day) for day in scope.days}
    people: dict[int, ReviewerWork] = {}
    for day, reviewer, verified, unverified, boilerplate, cleared, hand, fast, done in (
        rows.values_list("day", "reviewer_id")
        .annotate(
            Sum("verified"),
            Sum("unverified"),
            Sum("boilerplate"),
            Sum("cleared"),
            Sum("by_hand"),
            Sum("fast"),
            Sum("finished"),
        )
        .order_by()
    ):
        labeled = verified + unverified + boilerplate
        work = days[day]
        work.labeled += labeled
        work.cleared += cleared
        work.by_hand += hand
        work.fast += fast
        work.finished += done
        person = people.setdefault(reviewer, ReviewerWork(reviewer))
        person.labeled += labeled
        person.by_hand += hand
        person.fast += fast
        person.finished += done
    return list(days.values()), people


def _pace(scope: Scope, people: dict[int, ReviewerWork], *, below: int) -> None:
    """Each reviewer's median gap between hand labels: one query for the histograms."""
    rows = _in_range(PaceDay.objects.all(), scope)
    if scope.reviewer is not None:
        rows = rows.filter(reviewer_id=scope.reviewer)
    histograms: dict[int, dict[int, int]] = {}
    for reviewer, seconds, n in (
        rows.values_list("reviewer_id", "seconds")
        .annotate(n=Sum("events"))
        .values_list("reviewer_id", "seconds", "n")
        .order_by()
    ):
        histograms.setdefault(reviewer, {})[seconds] = n
    for reviewer, histogram in histograms.items():
        person = people.setdefault(reviewer, ReviewerWork(reviewer))
        person.median = lower_median(histogram, below=below)


def _mix(
    scope: Scope,
) -> tuple[list[SourceMix], list[str], dict[str, list[SharePoint]]]:
    """Labels given per source, and the boilerplate share per source and day: one query."""
    rows = _in_range(LabelDay.objects.all(), scope)
    if scope.source is not None:
        rows = rows.filter(source=scope.source)
    if scope.reviewer is not None:
        rows = rows.filter(reviewer_id=scope.reviewer)
    mix: dict[str, SourceMix] = {}
    per_day: dict[tuple[str, datetime.date], SharePoint] = {}
    for day, source, verified, unverified, boilerplate in (
        rows.values_list("day", "source")
        .annotate(Sum("verified"), Sum("unverified"), Sum("boilerplate"))
        .order_by()
    ):
        total = mix.setdefault(source, SourceMix(source))
        total.verified += verified
        total.unverified += unverified
        total.boilerplate += boilerplate
        per_day[source, day] = SharePoint(
            day, boilerplate, verified + unverified + boilerplate
        )
    ordered = sorted(
        (m for m in mix.values() if m.labeled), key=lambda m: (-m.labeled, m.source)
    )
    drawn = [m.source for m in ordered[:LINE_SOURCES]]
    shares = {
        source: [per_day.get((source, day), SharePoint(day)) for day in scope.days]
        for source in (m.source for m in ordered)
    }
    return ordered, drawn, shares


def _people(ids: set[int], *, team: bool, viewer) -> dict[int, str]:
    """Names of the reviewers in the figures and, for a Lead, of everyone who reviews (the
    reviewer filter's choices): one query."""
    users = get_user_model().objects.filter(pk__in=ids or [viewer.pk])
    if team:
        users = get_user_model().objects.filter(
            Q(pk__in=ids) | Q(groups__name__in=REVIEW_GROUPS)
        )
    names = dict(users.distinct().values_list("pk", "username"))
    return names


def _agreement(scope: Scope) -> dict[int, list[int]]:
    """{reviewer id: [paragraphs compared, agreed]} in submitted second reviews, either side of
    the pair: one grouped query over the tally (which has no dates: all time; one source if
    chosen; a reviewer's own line when the scope is one reviewer)."""
    rows = AgreementTally.objects.all()
    if scope.source is not None:
        rows = rows.filter(source=scope.source)
    if scope.reviewer is not None:
        rows = rows.filter(
            Q(first_user_id=scope.reviewer) | Q(second_user_id=scope.reviewer)
        )
    same = Case(When(first_label=F("second_label"), then=Value(1)), default=Value(0))
    people: dict[int, list[int]] = {}
    for first, second, agreed, n in (
        rows.values("first_user_id", "second_user_id")
        .annotate(agreed=Sum(same * F("paragraphs")), n=Sum("paragraphs"))
        .values_list("first_user_id", "second_user_id", "agreed", "n")
        .order_by()
    ):
        for person in (first, second):
            counts = people.setdefault(person, [0, 0])
            counts[0] += n
            counts[1] += agreed
    if scope.reviewer is not None:
        return (
            {scope.reviewer: people[scope.reviewer]} if scope.reviewer in people else {}
        )
    return people


def figures(scope: Scope, *, viewer) -> Figures:
    rule = list(
        DashboardSetting.objects.filter(pk=1).values_list(
            "fast_labels", "fast_seconds", "stale", "time_zone"
        )
    )
    if rule and rule[0][2] and refresh_if_stale():
        rule = [(*current_rule(), False, settings.TIME_ZONE)]
    statuses, backlog = _backlog(scope)
    daily, people = _work(scope)
    below = settings.NEWSREVIEW_PACE_BREAK_SECONDS
    _pace(scope, people, below=below)
    mix, drawn, shares = _mix(scope)
    agreement = _agreement(scope)
    names = _people(
        (set(people) | set(agreement)) - {0}, team=scope.team, viewer=viewer
    )
    for reviewer, person in people.items():
        person.name = (
            NOBODY if reviewer == 0 else names.get(reviewer, f"user #{reviewer}")
        )
    sources = sorted(
        ArticleTally.objects.filter(articles__gt=0)
        .values_list("source", flat=True)
        .distinct()
        .order_by()
    )
    return Figures(
        scope=scope,
        statuses=statuses,
        backlog=backlog,
        daily=daily,
        reviewers=sorted(
            people.values(),
            key=lambda p: (-p.labeled, p.name.casefold(), p.reviewer_id),
        ),
        mix=mix,
        share_sources=drawn,
        shares=shares,
        fast_rule=tuple(rule[0][:2]) if rule else None,
        break_seconds=below,
        time_zone=rule[0][3] if rule else settings.TIME_ZONE,
        people=names,
        sources=sources,
        agreement=sorted(
            (
                ReviewerAgreement(
                    names.get(pk, f"user #{pk}"), compared=counts[0], agreed=counts[1]
                )
                for pk, counts in agreement.items()
            ),
            key=lambda p: (-p.compared, p.name.casefold()),
        ),
    )
