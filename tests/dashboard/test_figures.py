"""The dashboard's numbers (its CSVs) against a recount from the paragraphs and the audit
trail, for labels written over HTTP by several people; the roll-ups the triggers keep against
a rebuild from scratch, for every writer."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.boilerplate.propagation import apply_across_source, undo_propagation
from articles.models import (
    Article,
    DashboardSetting,
    LabelDay,
    LabelEvent,
    PaceDay,
    Paragraph,
    ReviewStatus,
    StatusDay,
)
from articles.review.labels import reset_article
from tests.dashboard import recount

pytestmark = pytest.mark.django_db

# Every status the rule has, in its order (quality control added "signed_off").
STATUSES = list(ReviewStatus.values)
DAY1 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def rolled_up() -> dict:
    """Every roll-up row that is not all zeros."""
    tables = {
        LabelDay: ("day", "reviewer_id", "source"),
        PaceDay: ("day", "reviewer_id", "seconds"),
        StatusDay: ("day", "source", "status"),
    }
    out = {}
    for model, key in tables.items():
        for row in model.objects.values():
            row.pop("id")
            ident = (model.__name__, *(row.pop(name) for name in key))
            if any(row.values()):
                out[ident] = row
    return out


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def label(client, article, position, value, method="click"):
    response = client.post(
        reverse("articles:label", args=[article.pk, position]),
        {"label": value, "method": method},
    )
    assert response.status_code == 302, response.content[:300]


def csv_rows(client, chart, **params):
    response = client.get(reverse("articles:dashboard_csv", args=[chart]), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return recount.read_csv(response)


def as_ints(rows):
    return [[row[0], *(int(v) for v in row[1:])] for row in rows]


@pytest.fixture
def desk(make_article, reviewer, other_reviewer, lead, settings):
    """Two sources, five articles, labels from three people over HTTP, then every event moved
    to a known moment through the database: day 1, day 2 and day 4, with known gaps. A run
    is 2 hand labels within 3 s here, so the fixture's quick pairs are flagged."""
    settings.NEWSREVIEW_FAST_RUN_LABELS = 2
    settings.NEWSREVIEW_FAST_RUN_SECONDS = 3
    bbc = [make_article(source="bbc.co.uk", n=3) for _ in range(3)]
    ap = [make_article(source="apnews.com", n=2) for _ in range(2)]
    rita, oskar, lena = (client_for(u) for u in (reviewer, other_reviewer, lead))
    # (client, article, position, label, method): written in this order.
    writes = [
        (rita, bbc[0], 1, "verified", "click"),
        (rita, bbc[0], 2, "boilerplate", "keyboard"),
        (rita, bbc[0], 3, "verified", "keyboard"),  # bbc[0] reviewed (rita)
        (oskar, ap[0], 1, "unverified", "click"),
        (oskar, ap[0], 2, "boilerplate", "click"),  # ap[0] reviewed (oskar)
        (rita, bbc[1], 1, "unverified", "click"),
        (rita, bbc[1], 1, "verified", "click"),  # a change of mind
        (lena, bbc[2], 1, "boilerplate", "click"),
        (oskar, ap[1], 1, "verified", "keyboard"),
        (oskar, ap[1], 1, "", "keyboard"),  # cleared again
        (rita, bbc[1], 2, "verified", "keyboard"),
        (rita, bbc[1], 3, "boilerplate", "keyboard"),  # bbc[1] reviewed (rita)
    ]
    for client, article, position, value, method in writes:
        label(client, article, position, value, method)
    # Rest as boilerplate (bulk) by oskar, a Lead's reset of bbc[0].
    response = oskar.post(
        reverse("articles:boilerplate_rest", args=[ap[1].pk]), {"from_position": "1"}
    )
    assert response.status_code == 302
    response = lena.post(reverse("articles:reset", args=[bbc[0].pk]))
    assert response.status_code == 302

    # Known days and gaps, set through the database: day 1 09:00 + 4 s, 7 s, 3 s, ...
    gaps = [0, 4, 7, 3, 12, 600, 2, 2, 2, 1, 9, 30, 5, 5, 5, 5, 5, 5, 5, 5]
    day_of_write = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    events = list(LabelEvent.objects.order_by("id"))
    moment = DAY1
    for i, event in enumerate(events):
        moment = max(
            moment + datetime.timedelta(seconds=gaps[i % len(gaps)]),
            DAY1 + datetime.timedelta(days=day_of_write[i % len(day_of_write)]),
        )
        LabelEvent.objects.filter(pk=event.pk).update(created_at=moment)
    Article.objects.update(imported_at=DAY1 - datetime.timedelta(days=1))
    # Edited through the database, not by the product: the roll-ups know they are stale, and
    # the first dashboard request recounts them (no rebuild_dashboard needed).
    assert DashboardSetting.objects.get(pk=1).stale
    return {"bbc": bbc, "ap": ap, "users": (reviewer, other_reviewer, lead)}


DAYS = [(DAY1.date() + datetime.timedelta(days=n)).isoformat() for n in range(-2, 6)]
RANGE = {"start": DAYS[0], "end": DAYS[-1]}


def test_the_csvs_equal_a_recount_of_the_audit_trail(desk, client, lead):
    client.force_login(lead)
    throughput = csv_rows(client, "throughput", **RANGE)
    assert not DashboardSetting.objects.get(pk=1).stale  # recounted by that request
    assert throughput[0] == [
        "day",
        "labeled",
        "by_hand",
        "cleared",
        "articles_finished",
    ]
    assert as_ints(throughput[1:]) == recount.throughput(DAYS)
    # Not trivially zero: the fixture's writes land on three known days.
    by_day = {row[0]: row[1] for row in as_ints(throughput[1:])}
    assert by_day[DAYS[2]] > 0
    assert by_day[DAYS[3]] > 0
    assert by_day[DAYS[5]] > 0

    finished = as_ints(csv_rows(client, "finished", **RANGE)[1:])
    assert finished == [[row[0], row[4]] for row in recount.throughput(DAYS)]
    assert sum(row[1] for row in finished) == 4  # bbc[0], ap[0], bbc[1], ap[1] (bulk)

    backlog = csv_rows(client, "backlog", **RANGE)
    assert backlog[0] == ["day", *STATUSES]
    assert as_ints(backlog[1:]) == recount.backlog(DAYS, STATUSES)
    assert as_ints(backlog[1:])[0] == [DAYS[0], 0, 0, 0, 0]  # before the import
    assert as_ints(backlog[1:])[1] == [DAYS[1], 5, 0, 0, 0]  # imported, nothing labeled

    mix = csv_rows(client, "label-mix", **RANGE)
    assert {
        row[0]: [int(row[1]), int(row[2]), int(row[3])] for row in mix[1:]
    } == recount.label_mix(DAYS)

    expected_pace = recount.pace(DAYS)
    pace = {row[0]: row[1:] for row in csv_rows(client, "pace", **RANGE)[1:]}
    names = dict(User.objects.values_list("pk", "username"))
    for user, (median, timed, fast) in expected_pace.items():
        if not (timed or fast):  # one hand label: nothing to time, nothing to flag
            assert names[user] not in pace
            continue
        row = pace[names[user]]
        assert row == [str(median) if median is not None else "", str(timed), str(fast)]
    assert len(pace) == 2
    assert any(fast for _, _, fast in expected_pace.values())  # the 2 s run is flagged

    reviewers = {
        row[0]: [int(v) for v in row[1:]]
        for row in csv_rows(client, "reviewers", **RANGE)[1:]
    }
    for user in desk["users"]:
        mine = recount.throughput(DAYS, reviewer=user.pk)
        assert reviewers.get(user.username, [0, 0, 0]) == [
            sum(row[1] for row in mine),
            sum(row[2] for row in mine),
            sum(row[4] for row in mine),
        ]

    share = csv_rows(client, "boilerplate-share", **RANGE)
    for day, source, boilerplate, labeled, _ in share[1:]:
        counted = recount.label_mix([day]).get(source, [0, 0, 0])
        assert [int(boilerplate), int(labeled)] == [counted[2], sum(counted)]


def test_a_source_and_a_reviewer_narrow_the_figures(desk, client, lead, reviewer):
    client.force_login(lead)
    rows = csv_rows(client, "throughput", reviewer=reviewer.pk, **RANGE)
    assert as_ints(rows[1:]) == recount.throughput(DAYS, reviewer=reviewer.pk)
    rows = csv_rows(client, "backlog", source="apnews.com", **RANGE)
    assert as_ints(rows[1:]) == recount.backlog(DAYS, STATUSES, source="apnews.com")
    rows = csv_rows(client, "label-mix", source="apnews.com", **RANGE)
    assert [row[0] for row in rows[1:]] == ["apnews.com"]


def test_a_reviewer_sees_only_their_own_figures(desk, client, reviewer, other_reviewer):
    client.force_login(reviewer)
    rows = csv_rows(client, "reviewers", **RANGE)
    assert [row[0] for row in rows[1:]] == [reviewer.username]
    rows = csv_rows(client, "throughput", **RANGE)
    assert as_ints(rows[1:]) == recount.throughput(DAYS, reviewer=reviewer.pk)
    assert as_ints(rows[1:]) != recount.throughput(DAYS)  # the desk did more
    pace = csv_rows(client, "pace", **RANGE)
    assert [row[0] for row in pace[1:]] == [reviewer.username]
    # Asking for a colleague's: refused, naming the field, nothing of theirs in the answer.
    response = client.get(
        reverse("articles:dashboard_csv", args=["reviewers"]),
        {"reviewer": other_reviewer.pk, **RANGE},
    )
    assert response.status_code == 403
    assert b"Reviewer" in response.content
    assert other_reviewer.username.encode() not in response.content
    page = client.get(reverse("articles:dashboard"), {"reviewer": other_reviewer.pk})
    assert page.status_code == 200
    text = page.content.decode()
    assert "you can see only your own figures" in text
    assert other_reviewer.username not in text
    assert 'name="reviewer"' not in text  # no reviewer filter for a reviewer


def test_triggers_keep_the_roll_ups_equal_to_a_rebuild(make_article, reviewer, lead):
    """Every writer, at the real time of the write: the roll-ups the triggers kept equal the
    ones rebuilt from the audit trail (and the HTTP-written figures equal the recount)."""
    rita, lena = client_for(reviewer), client_for(lead)
    articles = [make_article(source="bbc.co.uk", n=3) for _ in range(3)]
    make_article(source="pre.com", n=2, labels=["verified", "verified"])
    for position in (1, 2, 3):
        label(rita, articles[0], position, "verified", "keyboard")
    label(rita, articles[1], 1, "unverified")
    label(rita, articles[1], 1, "")
    rita.post(
        reverse("articles:boilerplate_rest", args=[articles[1].pk]),
        {"from_position": "2"},
    )
    reset_article(article=articles[0], user=lead)
    text_hash = Paragraph.objects.get(article=articles[2], position=3).text_hash
    Paragraph.objects.filter(position=3, article__source="bbc.co.uk").update(
        text_hash=text_hash
    )
    propagation = apply_across_source(
        source="bbc.co.uk", text_hash=text_hash, user=lead
    )
    undo_propagation(propagation=propagation, user=lead)
    response = lena.post(reverse("articles:accept_suggestions", args=[articles[2].pk]))
    assert response.status_code == 302
    # An edit and a deletion outside the services (the admin's, or raw SQL alike).
    spare = make_article(source="bbc.co.uk")
    Article.objects.filter(pk=spare.pk).update(source="other.com")
    kept = rolled_up()
    assert any(key[0] == "PaceDay" for key in kept)
    assert any(key[0] == "StatusDay" and key[3] == "reviewed" for key in kept)

    call_command("rebuild_dashboard", verbosity=0)
    assert rolled_up() == kept

    today = recount.day_of(LabelEvent.objects.latest("created_at").created_at)
    client = client_for(lead)
    rows = csv_rows(client, "throughput", start=today, end=today)
    assert as_ints(rows[1:]) == recount.throughput([today])
    rows = csv_rows(client, "backlog", start=today, end=today)
    assert as_ints(rows[1:]) == recount.backlog([today], STATUSES)


def test_a_status_the_labels_do_not_explain_is_counted_too(make_article):
    """A status beyond ReviewStatus (a Lead's "signed off", say) is rolled up like any other
    and closes the article's history in a rebuild."""
    with connection_without_status_check() as cursor:
        article = make_article(source="a.com", n=1, labels=["verified"])
        cursor.execute(
            "UPDATE articles_article SET status = 'signed_off' WHERE id = %s",
            [article.pk],
        )
    kept = rolled_up()
    day = next(key[1] for key in kept if key[0] == "StatusDay")
    assert kept[("StatusDay", day, "a.com", "signed_off")] == {"delta": 1}
    call_command("rebuild_dashboard", verbosity=0)
    assert rolled_up() == kept


class connection_without_status_check:
    """A cursor with the status CHECK constraint out of the way (PostgreSQL: dropped inside
    the test's transaction; SQLite: CHECK constraints ignored for the connection)."""

    def __enter__(self):
        from django.db import connection

        self.connection = connection
        self.cursor = connection.cursor().__enter__()
        if connection.vendor == "sqlite":
            self.cursor.execute("PRAGMA ignore_check_constraints = 1")
        else:
            self.cursor.execute(
                "ALTER TABLE articles_article DROP CONSTRAINT article_status_matches_counts"
            )
        return self.cursor

    def __exit__(self, *exc):
        if self.connection.vendor == "sqlite":
            self.cursor.execute("PRAGMA ignore_check_constraints = 0")
        self.cursor.__exit__(*exc)


def test_rebuild_dashboard_gives_what_the_triggers_and_the_refresh_gave(
    desk, client, lead
):
    client.force_login(lead)
    csv_rows(client, "backlog", **RANGE)  # the stale roll-ups recounted
    kept = rolled_up()
    call_command("rebuild_dashboard", verbosity=0)
    assert rolled_up() == kept
    LabelEvent.objects.filter(pk=LabelEvent.objects.earliest("id").pk).delete()
    assert DashboardSetting.objects.get(pk=1).stale


def test_events_moved_before_the_import_count_the_article_from_its_first_label(
    make_article, reviewer, client
):
    """Articles imported today whose labels were put on earlier days through the database:
    the backlog has them from their first label on, never a negative count."""
    articles = [make_article(source="a.com", n=2) for _ in range(3)]
    rita = client_for(reviewer)
    for article in articles[:2]:
        label(rita, article, 1, "verified")
    label(rita, articles[0], 2, "verified")
    for n, event in enumerate(LabelEvent.objects.order_by("id")):
        LabelEvent.objects.filter(pk=event.pk).update(
            created_at=DAY1 + datetime.timedelta(days=n)
        )
    days = [
        (DAY1.date() + datetime.timedelta(days=n)).isoformat() for n in range(-1, 4)
    ]
    client.force_login(reviewer)
    rows = as_ints(csv_rows(client, "backlog", start=days[0], end=days[-1])[1:])
    assert rows == recount.backlog(days, STATUSES)
    assert all(value >= 0 for row in rows for value in row[1:])
    assert rows[0] == [days[0], 0, 0, 0, 0]
    assert rows[-1] == [days[-1], 0, 1, 1, 0]  # the third article arrives today, later
