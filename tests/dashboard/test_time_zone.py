"""The dashboard's days are the desk's calendar days (settings.TIME_ZONE), not UTC's: a label
at 23:30 UTC is tomorrow's in Warsaw and a label at 03:30 UTC yesterday's in New York, in the
triggers' roll-ups, in a rebuild, on the page and in its CSVs; the page says which zone."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.dashboard import rollups
from articles.models import DashboardSetting, LabelDay, LabelEvent, Paragraph
from tests.dashboard import recount, test_figures
from tests.dashboard.test_figures import (
    RANGE,
    STATUSES,
    as_ints,
    client_for,
    csv_rows,
    rolled_up,
)

desk = test_figures.desk  # the fixture: labels from three people on known days

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _insert_event(paragraph: Paragraph, user, value: str, at: datetime.datetime):
    """A label event written at a known moment, by SQL (a writer the triggers follow like
    any other; the ORM would stamp it with now)."""
    event = LabelEvent(
        paragraph=paragraph,
        article_id=paragraph.article_id,
        user=user,
        field="label",
        old_value="",
        new_value=value,
        method="click",
    )
    event.created_at = at
    fields = [f for f in LabelEvent._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO articles_labelevent ({columns}) VALUES ({marks})",  # noqa: S608
            values,
        )


@pytest.mark.parametrize(
    ("zone", "at", "day"),
    [
        # Winter (UTC+1) and summer (UTC+2): after midnight in Warsaw, still "today" in UTC.
        (
            "Europe/Warsaw",
            datetime.datetime(2026, 1, 10, 23, 30, tzinfo=UTC),
            "2026-01-11",
        ),
        (
            "Europe/Warsaw",
            datetime.datetime(2026, 7, 10, 22, 30, tzinfo=UTC),
            "2026-07-11",
        ),
        # New York (UTC-5): before midnight there, already tomorrow in UTC.
        (
            "America/New_York",
            datetime.datetime(2026, 1, 11, 3, 30, tzinfo=UTC),
            "2026-01-10",
        ),
        ("UTC", datetime.datetime(2026, 1, 10, 23, 30, tzinfo=UTC), "2026-01-10"),
    ],
)
def test_a_label_near_midnight_counts_on_the_desks_day(
    settings, make_article, reviewer, zone, at, day
):
    settings.TIME_ZONE = zone
    rollups.rebuild()  # the roll-ups now count in the desk's zone
    assert DashboardSetting.objects.get(pk=1).time_zone == zone
    article = make_article(source="a.com", n=2)
    paragraph = article.paragraphs.get(position=1)
    _insert_event(paragraph, reviewer, "verified", at)
    _insert_event(paragraph, reviewer, "boilerplate", at + datetime.timedelta(hours=2))
    later = at + datetime.timedelta(hours=2)
    local = later.astimezone(ZoneInfo(zone)).date().isoformat()
    rows = {
        row.day.isoformat(): row.verified + row.boilerplate
        for row in LabelDay.objects.filter(reviewer_id=reviewer.pk)
    }
    assert rows == dict(Counter([day, local]))
    assert recount.day_of(at) == day
    # A rebuild counts the same days as the triggers did.
    by_trigger = {k: v for k, v in rolled_up().items() if k[0] == "LabelDay"}
    rollups.rebuild()
    assert {k: v for k, v in rolled_up().items() if k[0] == "LabelDay"} == by_trigger


def test_the_csvs_follow_the_desks_days_too(desk, client, lead, settings):
    """The desk fixture's labels are at 09:00 UTC and a little after: 23:30 the evening before
    in the Marquesas (UTC-9:30). The page's first request recounts (the events were moved by
    SQL) in that zone; every CSV equals a plain recount in it."""
    settings.TIME_ZONE = "Pacific/Marquesas"
    client.force_login(lead)
    throughput = as_ints(csv_rows(client, "throughput", **RANGE)[1:])
    days = [row[0] for row in throughput]
    assert throughput == recount.throughput(days)
    backlog = as_ints(csv_rows(client, "backlog", **RANGE)[1:])
    assert backlog == recount.backlog(days, STATUSES)
    labeled = {row[0]: row[1] for row in throughput}
    # The labels of 2 March 09:00 UTC count on 1 March there (in UTC, nothing is labeled on
    # 1 March), those of 5 March 09:00 UTC on 4 March.
    assert labeled["2026-03-01"] > 0
    assert labeled["2026-03-04"] > 0
    assert labeled["2026-03-05"] == 0


def test_the_page_names_the_zone_and_says_when_the_figures_are_in_another(
    settings, lead
):
    client = client_for(lead)
    page = client.get(reverse("articles:dashboard")).content.decode()
    assert "Days are calendar days in UTC." in page
    assert "dashboard-zone-changed" not in page
    settings.TIME_ZONE = "Europe/Warsaw"
    page = client.get(reverse("articles:dashboard")).content.decode()
    assert "Days are calendar days in UTC." in page  # what they were counted in
    assert "time zone is now Europe/Warsaw" in page
    rollups.rebuild()
    page = client.get(reverse("articles:dashboard")).content.decode()
    assert "Days are calendar days in Europe/Warsaw." in page
    assert "dashboard-zone-changed" not in page


def test_today_is_the_desks_today(settings, lead):
    """The default range ends on the desk's today: a zone 12 hours from UTC is on another
    date than UTC's whatever the hour."""
    now = timezone.now()
    zone = "Etc/GMT+12" if now.hour < 12 else "Etc/GMT-12"  # UTC-12 / UTC+12
    settings.TIME_ZONE = zone
    expected = timezone.localdate(now, timezone=timezone.get_default_timezone())
    assert expected != now.date()
    page = client_for(lead).get(reverse("articles:dashboard")).content.decode()
    assert f'name="end" id="id_end" value="{expected:%Y-%m-%d}"' in page
