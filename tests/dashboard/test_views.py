"""The dashboard page and its CSVs: what they show, to whom, which queries they run, and what
bad filters get."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.dashboard.filters import today
from articles.dashboard.panels import BUILDERS
from articles.models import LabelEvent
from articles.review.labels import set_label
from tests.dashboard.recount import read_csv

pytestmark = pytest.mark.django_db

PAGE = reverse("articles:dashboard")


def csv_url(chart: str) -> str:
    return reverse("articles:dashboard_csv", args=[chart])


def labeled_desk(make_article, users, *, articles: int, sources: int = 2) -> None:
    """`articles` articles over `sources` sources, each user labeling a share of them."""
    for i in range(articles):
        article = make_article(source=f"site{i % sources}.example", n=3)
        user = users[i % len(users)]
        for position in (1, 2):
            set_label(
                article_id=article.pk,
                position=position,
                label=["verified", "boilerplate"][position - 1],
                user=user,
                method=LabelEvent.Method.KEYBOARD,
            )


def test_the_page_draws_every_chart_with_its_summary_table_and_csv(
    lead_client, make_article, reviewer, lead
):
    labeled_desk(make_article, [reviewer, lead], articles=4)
    response = lead_client.get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    for slug in BUILDERS:
        assert f'id="summary-{slug}"' in text
        assert f'href="{csv_url(slug)}?start=' in text
    # Backlog, paragraphs and articles per day, boilerplate share.
    assert text.count('<svg class="chart"') == 4
    assert 'role="img" aria-labelledby="summary-backlog"' in text
    assert text.count("<details") == len(BUILDERS)
    assert "8 paragraphs labeled (8 by hand)" in text
    assert "4 unreviewed" not in text
    assert "4 in progress" in text
    assert 'name="reviewer"' in text  # a Lead may choose a reviewer
    assert reviewer.username in text
    assert 'aria-current="page">Dashboard</a>' in text  # the header's link


def test_a_reviewer_gets_their_own_figures_and_no_reviewer_filter(
    reviewer_client, make_article, reviewer, lead
):
    labeled_desk(make_article, [reviewer, lead], articles=4)
    text = reviewer_client.get(PAGE).content.decode()
    assert "Your own figures" in text
    assert "4 paragraphs labeled" in text
    assert 'name="reviewer"' not in text
    assert lead.username not in text.split("</header>")[1]


def test_a_lead_narrows_to_one_reviewer(lead_client, make_article, reviewer, lead):
    labeled_desk(make_article, [reviewer, lead], articles=4)
    text = lead_client.get(PAGE, {"reviewer": reviewer.pk}).content.decode()
    assert f"Figures of <strong>{reviewer.username}</strong>" in text
    assert "4 paragraphs labeled" in text
    rows = read_csv(lead_client.get(csv_url("reviewers"), {"reviewer": reviewer.pk}))
    assert [row[0] for row in rows[1:]] == [reviewer.username]


@pytest.mark.parametrize("articles", [3, 30])
def test_the_page_runs_the_same_queries_whatever_the_data(
    articles,
    client,
    make_article,
    reviewer,
    other_reviewer,
    lead,
    django_assert_num_queries,
):
    labeled_desk(
        make_article,
        [reviewer, other_reviewer, lead],
        articles=articles,
        sources=articles // 3,
    )
    client.force_login(lead)
    client.get(PAGE)  # warm: the session's first write
    # session, user, permissions; backlog x2, throughput, pace, mix, people, rule, sources,
    # agreement (the quality tally).
    with django_assert_num_queries(12):
        assert client.get(PAGE).status_code == 200
    with django_assert_num_queries(12):
        assert client.get(csv_url("pace")).status_code == 200


BAD = [
    ({"start": "yesterday"}, "From", "Enter a valid date"),
    ({"end": "2026-02-30"}, "To", "Enter a valid date"),
    ({"start": "2026-03-10", "end": "2026-03-01"}, "To", "is before"),
    ({"start": "2020-01-01", "end": "2026-01-01"}, "From", "choose at most 366"),
    ({"start": "0001-01-01"}, "From", "choose at most 366"),
    ({"start": "9999-12-31"}, "To", "is before"),
    ({"end": "0001-01-05"}, "To", "too early"),
    ({"source": "x" * 254}, "Source", "at most 253 characters"),
    ({"source": "bbc\x00.co.uk"}, "Source", "Null characters"),
    ({"reviewer": "me"}, "Reviewer", "Enter a whole number"),
    ({"reviewer": "-1"}, "Reviewer", "greater than or equal to 1"),
    ({"reviewer": "1' OR 1=1 --"}, "Reviewer", "Enter a whole number"),
    ({"reviewer": str(2**64)}, "Reviewer", "less than or equal to"),
]


@pytest.mark.parametrize(("params", "field", "reason"), BAD)
def test_bad_filters_are_named_and_change_nothing(
    lead_client, make_article, lead, params, field, reason
):
    labeled_desk(make_article, [lead], articles=2)
    events = LabelEvent.objects.count()
    response = lead_client.get(csv_url("throughput"), params)
    assert response.status_code == 400
    body = response.content.decode()
    assert body.startswith("Not exported.")
    assert f"{field}:" in body
    assert reason in body
    page = lead_client.get(PAGE, params)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'role="alert"' in text
    assert f"{field}:" in text
    assert reason in text
    assert (
        "Last 30 days" in text or "to" in text
    )  # the default figures, not an error page
    assert LabelEvent.objects.count() == events


def test_an_unknown_reviewer_or_chart_is_refused(lead_client, lead):
    response = lead_client.get(csv_url("throughput"), {"reviewer": "987654"})
    assert response.status_code == 400
    assert b"Reviewer: there is no reviewer with id 987654" in response.content
    text = lead_client.get(PAGE, {"reviewer": "987654"}).content.decode()
    assert "there is no reviewer with id 987654" in text
    assert lead_client.get("/dashboard/nonsense.csv").status_code == 404
    assert lead_client.get("/dashboard/..%2Fexport.csv").status_code == 404


def test_names_from_outside_are_escaped_in_charts_tables_and_csv(
    lead_client, make_article, lead
):
    hostile = '<script>alert(1)</script>"><svg onload=alert(2)>'
    article = make_article(source=hostile, n=2)
    set_label(article_id=article.pk, position=1, label="boilerplate", user=lead)
    text = lead_client.get(PAGE).content.decode()
    assert "<script>alert(1)" not in text
    assert "<svg onload" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    formula = make_article(source="=HYPERLINK(1)", n=1)
    set_label(article_id=formula.pk, position=1, label="verified", user=lead)
    rows = read_csv(lead_client.get(csv_url("label-mix")))
    assert "'=HYPERLINK(1)" in [row[0] for row in rows]


def test_a_changed_fast_run_rule_is_pointed_out(lead_client, settings):
    settings.NEWSREVIEW_FAST_RUN_LABELS = 9
    text = lead_client.get(PAGE).content.decode()
    assert "manage.py rebuild_dashboard" in text
    call_command("rebuild_dashboard", verbosity=0)
    text = lead_client.get(PAGE).content.decode()
    assert "manage.py rebuild_dashboard" not in text
    assert "9 hand labels within 5 s" in text


def test_the_default_range_is_the_last_30_days(lead_client):
    rows = read_csv(lead_client.get(csv_url("backlog")))
    assert rows[1][0] == (today() - datetime.timedelta(days=29)).isoformat()
    assert rows[-1][0] == today().isoformat()
    assert len(rows) == 31


def test_a_bad_date_keeps_the_other_filters(lead_client, make_article, lead):
    labeled_desk(make_article, [lead], articles=4)
    text = lead_client.get(
        PAGE, {"start": "nope", "source": "site1.example"}
    ).content.decode()
    assert "From: Enter a valid date." in text
    assert "site1.example only" in text
    assert "4 paragraphs labeled" in text  # two of the four articles, two labels each
