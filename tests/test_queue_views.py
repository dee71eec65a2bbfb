"""The queue page: listing, filters, search, sorting, paging, totals, htmx partials, query counts."""

import csv
import datetime
import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.queue.filters import SORTS

QUEUE = reverse("articles:queue")
HTMX = {"HTTP_HX_REQUEST": "true"}


def day(n: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2025, 3, n, hour, tzinfo=datetime.UTC)


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(response) -> list[str]:
    return [a.get_text() for a in soup_of(response).select("td.col-title a")]


def totals(response) -> dict[str, str]:
    return {
        link.select_one(".status-total-label").get_text(): link.select_one(
            ".status-total-count"
        ).get_text()
        for link in soup_of(response).select(".status-totals a")
    }


def shown(first: int, last: int, total: int) -> str:
    return f"{first}\N{EN DASH}{last} of {total} articles"


def notices(response) -> str:
    notice = soup_of(response).select_one(".queue-notice:not(.queue-cut)")
    return " ".join(notice.get_text().split()) if notice else ""


def link(href: str) -> tuple[str, dict[str, str]]:
    """(path, query parameters) of a link, so tests don't depend on parameter order."""
    parts = urlsplit(href)
    return parts.path, dict(parse_qsl(parts.query))


def set_fields(article: Article, **fields) -> None:
    """imported_at is auto_now_add and the review fields are not editable: set them by UPDATE."""
    Article.objects.filter(pk=article.pk).update(**fields)


@pytest.fixture
def four(make_article, reviewer, other_reviewer):
    """Four articles whose every sort gives a different order (see test_each_sort)."""
    bravo = make_article(title="Bravo", source="b.com")
    alpha = make_article(
        title="alpha", source="c.com", labels=["verified", "", ""], assigned_to=reviewer
    )
    charlie = make_article(
        title="Charlie",
        source="a.com",
        labels=["verified", "unverified", "boilerplate"],
        assigned_to=other_reviewer,
    )
    delta = make_article(
        title="Delta",
        source="a.com",
        paragraphs=["Police said the fire spread quickly.", "Subscribe now."],
        labels=["unverified", ""],
    )
    set_fields(bravo, imported_at=day(1))
    set_fields(
        alpha, imported_at=day(2), last_reviewed_at=day(5), last_reviewed_by=reviewer
    )
    set_fields(
        charlie,
        imported_at=day(3),
        last_reviewed_at=day(6),
        last_reviewed_by=other_reviewer,
    )
    set_fields(delta, imported_at=day(4))
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie, "delta": delta}


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={QUEUE}"


def test_lists_articles_with_their_numbers(reviewer_client, four):
    response = reviewer_client.get(QUEUE)
    soup = soup_of(response)
    assert titles(response) == ["Delta", "Charlie", "alpha", "Bravo"]
    charlie = soup.select("tbody tr")[1]
    link = charlie.select_one("td.col-title a")
    assert link["href"] == four["charlie"].get_absolute_url()
    assert charlie.select_one(".col-source").get_text() == "a.com"
    assert charlie.select_one(".status-badge").get_text() == "Reviewed"
    assert charlie.select_one(".progress-text").get_text() == "3/3"
    assert charlie.select_one("progress")["value"] == "3"
    mix = charlie.select_one("svg.mix")
    assert mix["aria-label"] == "1 verified, 1 unverified, 1 boilerplate, 0 unlabeled"
    widths = [rect["width"] for rect in mix.select("rect")[1:]]
    assert widths == ["33.33%", "33.33%", "33.33%"]
    assert charlie.select_one(".col-assigned").get_text(strip=True) == "oskar"
    reviewed = charlie.select_one(".col-reviewed")
    assert "by oskar" in reviewed.get_text()
    assert reviewed.time["datetime"] == day(6).isoformat()
    assert reviewed.time["title"] == "6 Mar 2025, 12:00 UTC"
    delta = soup.select("tbody tr")[0]
    assert delta.select_one(".progress-text").get_text() == "1/2"
    assert delta.select_one(".col-assigned").get_text(strip=True) == "Unassigned"
    assert delta.select_one(".col-reviewed").get_text(strip=True) == "Never"
    assert soup.select_one(".queue-range").get_text() == shown(1, 4, 4)


def test_totals_per_status(reviewer_client, four):
    assert totals(reviewer_client.get(QUEUE)) == {
        "Unreviewed": "1",
        "In progress": "2",
        "Reviewed": "1",
        "Signed off": "0",
        "All": "4",
    }


def test_totals_follow_the_other_filters_but_not_status(reviewer_client, four):
    response = reviewer_client.get(QUEUE, {"source": "a.com", "status": "reviewed"})
    assert titles(response) == ["Charlie"]
    assert totals(response) == {
        "Unreviewed": "0",
        "In progress": "1",
        "Reviewed": "1",
        "Signed off": "0",
        "All": "2",
    }
    links = {
        a.select_one(".status-total-label").get_text(): a
        for a in soup_of(response).select(".status-totals a")
    }
    assert links["Reviewed"]["aria-current"] == "true"
    assert link(links["In progress"]["href"]) == (
        "/",
        {"source": "a.com", "status": "in_progress"},
    )
    assert link(links["All"]["href"]) == ("/", {"source": "a.com"})


def test_status_total_link_applies_the_filter(reviewer_client, four):
    response = reviewer_client.get(QUEUE)
    link = next(
        a
        for a in soup_of(response).select(".status-totals a")
        if "In progress" in a.get_text()
    )
    assert titles(reviewer_client.get(link["href"])) == ["Delta", "alpha"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "unreviewed"}, ["Bravo"]),
        ({"status": "in_progress"}, ["Delta", "alpha"]),
        ({"status": "reviewed"}, ["Charlie"]),
        ({"source": "a.com"}, ["Delta", "Charlie"]),
        ({"assigned": "me"}, ["alpha"]),
        ({"assigned": "none"}, ["Delta", "Bravo"]),
        ({"imported_from": "2025-03-02"}, ["Delta", "Charlie", "alpha"]),
        ({"imported_to": "2025-03-02"}, ["alpha", "Bravo"]),
        (
            {"imported_from": "2025-03-02", "imported_to": "2025-03-03"},
            ["Charlie", "alpha"],
        ),
        ({"status": "in_progress", "source": "c.com"}, ["alpha"]),
    ],
)
def test_each_filter(reviewer_client, four, params, expected):
    assert titles(reviewer_client.get(QUEUE, params)) == expected


def test_source_select_lists_the_sources_with_counts(reviewer_client, four):
    soup = soup_of(reviewer_client.get(QUEUE, {"source": "a.com"}))
    options = [
        (o["value"], o.get_text(), o.has_attr("selected"))
        for o in soup.select("#id_source option")
    ]
    assert options == [
        ("", "All sources", False),
        ("a.com", "a.com (2)", True),
        ("b.com", "b.com (1)", False),
        ("c.com", "c.com (1)", False),
    ]


def test_search_finds_titles_and_paragraph_text(reviewer_client, four):
    assert titles(reviewer_client.get(QUEUE, {"q": "CHARL"})) == ["Charlie"]
    assert titles(reviewer_client.get(QUEUE, {"q": "fire spread"})) == ["Delta"]
    # Every made-up paragraph says "Paragraph N of article M."
    assert len(titles(reviewer_client.get(QUEUE, {"q": "paragraph 3 of"}))) == 3


def test_search_combines_with_filters_and_totals(reviewer_client, four):
    response = reviewer_client.get(QUEUE, {"q": "paragraph 1 of", "source": "a.com"})
    assert titles(response) == ["Charlie"]
    assert totals(response)["All"] == "1"
    assert soup_of(response).select_one(".queue-cut") is None


def test_a_search_matching_more_than_the_cap_lists_the_newest_and_says_so(
    reviewer_client, four, settings
):
    settings.NEWSREVIEW_SEARCH_CAP = 2
    response = reviewer_client.get(QUEUE, {"q": "paragraph"})
    # Bravo, alpha and charlie match (delta has paragraphs of its own); the two most recently
    # imported (highest ids) are listed and counted.
    assert titles(response) == ["Charlie", "alpha"]
    assert totals(response) == {
        "Unreviewed": "0+",
        "In progress": "1+",
        "Reviewed": "1+",
        "Signed off": "0+",
        "All": "2+",
    }
    soup = soup_of(response)
    assert soup.select_one(".queue-range").get_text() == "1\N{EN DASH}2 of 2+ articles"
    assert "More than 2 articles match" in soup.select_one(".queue-cut").get_text()
    sources = [option.get_text() for option in soup.select("#id_source option")]
    assert sources == ["All sources", "a.com (1+)", "c.com (1+)"]
    # Status and source filters apply within those matches.
    response = reviewer_client.get(QUEUE, {"q": "paragraph", "status": "reviewed"})
    assert titles(response) == ["Charlie"]
    # The exports are not cut: the notice says so, and the CSV holds all three matches.
    assert (
        "The CSV exports include every match."
        in soup.select_one(".queue-cut").get_text()
    )
    export = reviewer_client.get(
        reverse("articles:export_articles"), {"q": "paragraph"}
    )
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))
        )
    )
    assert sorted(row["title"] for row in rows) == ["Bravo", "Charlie", "alpha"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-imported", ["Delta", "Charlie", "alpha", "Bravo"]),
        ("imported", ["Bravo", "alpha", "Charlie", "Delta"]),
        ("title", ["alpha", "Bravo", "Charlie", "Delta"]),
        ("-title", ["Delta", "Charlie", "Bravo", "alpha"]),
        ("status", ["Bravo", "Delta", "alpha", "Charlie"]),
        ("progress", ["Bravo", "alpha", "Delta", "Charlie"]),
        ("-progress", ["Charlie", "Delta", "alpha", "Bravo"]),
        ("-reviewed", ["Charlie", "alpha", "Delta", "Bravo"]),
        ("source", ["Delta", "Charlie", "Bravo", "alpha"]),
    ],
)
def test_each_sort(reviewer_client, four, sort, expected):
    assert titles(reviewer_client.get(QUEUE, {"sort": sort})) == expected


def test_every_sort_is_tested():
    assert set(SORTS) == {
        "-imported",
        "imported",
        "title",
        "-title",
        "status",
        "progress",
        "-progress",
        "-reviewed",
        "source",
    }


def test_column_headers_sort_and_toggle(reviewer_client, four):
    soup = soup_of(reviewer_client.get(QUEUE, {"status": "in_progress"}))
    imported = soup.select_one("th.col-imported")
    assert imported["aria-sort"] == "descending"  # the default sort
    title_link = soup.select_one("th.col-title a")
    assert link(title_link["href"]) == ("/", {"status": "in_progress", "sort": "title"})
    assert title_link["hx-get"] == title_link["href"]

    soup = soup_of(reviewer_client.get(title_link["href"]))
    assert soup.select_one("th.col-title")["aria-sort"] == "ascending"
    assert not soup.select_one("th.col-imported").has_attr("aria-sort")
    again = soup.select_one("th.col-title a")["href"]
    assert link(again) == ("/", {"status": "in_progress", "sort": "-title"})
    assert titles(reviewer_client.get(again)) == ["Delta", "alpha"]


def test_pagination_of_51_articles(reviewer_client, make_article):
    for _ in range(51):
        make_article()
    first = reviewer_client.get(QUEUE)
    soup = soup_of(first)
    assert len(titles(first)) == 50
    assert soup.select_one(".queue-range").get_text() == shown(1, 50, 51)
    assert soup.select_one(".pagination [aria-current=page]").get_text() == "1"
    next_link = soup.select_one(".pagination a[rel=next]")["href"]
    assert link(next_link) == ("/", {"page": "2"})

    second = reviewer_client.get(next_link)
    assert len(titles(second)) == 1
    assert soup_of(second).select_one(".queue-range").get_text() == shown(51, 51, 51)
    assert not set(titles(first)) & set(titles(second))
    prev_link = soup_of(second).select_one(".pagination a[rel=prev]")["href"]
    assert link(prev_link) == ("/", {"page": "1"})


def test_page_links_keep_the_filters(reviewer_client, make_article):
    for _ in range(51):
        make_article(source="bbc.co.uk")
    make_article(source="other.org")
    soup = soup_of(reviewer_client.get(QUEUE, {"source": "bbc.co.uk", "sort": "title"}))
    page_two = soup.select_one(".pagination a[aria-label='Page 2']")["href"]
    assert link(page_two) == (
        "/",
        {"source": "bbc.co.uk", "sort": "title", "page": "2"},
    )
    assert len(titles(reviewer_client.get(page_two))) == 1


def test_one_page_has_no_pagination(reviewer_client, four):
    assert soup_of(reviewer_client.get(QUEUE)).select_one(".pagination") is None


def test_htmx_request_gets_only_the_results(reviewer_client, four):
    response = reviewer_client.get(QUEUE, {"status": "reviewed"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="queue-results"')
    assert titles(response) == ["Charlie"]
    # The filter controls come along out of band, so a clicked total or heading shows in the form.
    controls = soup_of(response).select_one("#queue-filter-controls")
    assert controls["hx-swap-oob"] == "true"
    assert controls.select_one("#id_status option[selected]")["value"] == "reviewed"
    assert "HX-Request" in response["Vary"]


def test_full_request_gets_the_page(reviewer_client, four):
    response = reviewer_client.get(QUEUE, {"status": "reviewed"})
    soup = soup_of(response)
    assert soup.html is not None
    assert soup.select_one("form#queue-filters")["method"] == "get"
    assert soup.select_one("#queue-filters button[type=submit]").get_text() == "Apply"
    assert not soup.select_one("#queue-filter-controls").has_attr("hx-swap-oob")
    assert titles(response) == ["Charlie"]
    assert "HX-Request" in response["Vary"]


def test_history_restore_request_gets_the_full_page(reviewer_client, four):
    response = reviewer_client.get(
        QUEUE, {"status": "reviewed"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert soup_of(response).html is not None
    assert titles(response) == ["Charlie"]


def test_export_links_carry_the_filters(reviewer_client, four):
    soup = soup_of(
        reviewer_client.get(QUEUE, {"source": "a.com", "q": "fire", "page": "1"})
    )
    links = {a.get_text(): link(a["href"]) for a in soup.select(".queue-exports a")}
    wanted = {"q": "fire", "source": "a.com"}
    assert links == {
        "Articles CSV": (reverse("articles:export_articles"), wanted),
        "Paragraphs CSV": (reverse("articles:export_paragraphs"), wanted),
        "Paragraphs JSONL": (reverse("articles:export_paragraphs_jsonl"), wanted),
    }


def test_invalid_values_are_ignored_and_shown(reviewer_client, four):
    response = reviewer_client.get(
        QUEUE,
        {
            "status": "done",
            "imported_from": "2025-02-30",
            "assigned": "everyone",
            "sort": "random",
            "page": "abc",
            "source": "a.com",
        },
    )
    assert titles(response) == ["Delta", "Charlie"]  # source still applies
    text = notices(response)
    assert (
        "Status: Select a valid choice. done is not one of the available choices."
        in text
    )
    assert "Imported from: Enter a valid date." in text
    assert "Assigned: Select a valid choice." in text
    assert "Sort: Select a valid choice." in text
    assert "Page: Page “abc” is not a number; showing page 1." in text
    soup = soup_of(response)
    # The links drop what was ignored.
    assert link(soup.select_one("th.col-title a")["href"]) == (
        "/",
        {"source": "a.com", "sort": "title"},
    )


@pytest.mark.parametrize(
    ("requested", "shown", "note"),
    [
        ("999", "2", "There is no page 999; showing page 2 of 2."),
        ("0", "1", "There is no page 0; showing page 1 of 2."),
        ("-3", "1", "There is no page -3; showing page 1 of 2."),
    ],
)
def test_out_of_range_pages_are_clamped(
    reviewer_client, make_article, requested, shown, note
):
    for _ in range(51):
        make_article()
    response = reviewer_client.get(QUEUE, {"page": requested})
    assert (
        soup_of(response).select_one(".pagination [aria-current=page]").get_text()
        == shown
    )
    assert note in notices(response)


def test_date_range_the_wrong_way_round_drops_the_end(reviewer_client, four):
    response = reviewer_client.get(
        QUEUE, {"imported_from": "2025-03-03", "imported_to": "2025-03-01"}
    )
    assert titles(response) == ["Delta", "Charlie"]
    assert "Imported to: 2025-03-01 is before “Imported from” (2025-03-03)." in notices(
        response
    )


def test_overlong_search_is_ignored(reviewer_client, four):
    response = reviewer_client.get(QUEUE, {"q": "x" * 201})
    assert len(titles(response)) == 4
    assert "Search: Ensure this value has at most 200 characters" in notices(response)


def test_valid_request_shows_no_notice(reviewer_client, four):
    assert (
        notices(reviewer_client.get(QUEUE, {"status": "reviewed", "page": "1"})) == ""
    )


def test_empty_queue_explains_how_to_import(reviewer_client):
    soup = soup_of(reviewer_client.get(QUEUE))
    empty = " ".join(soup.select_one(".empty-state").get_text().split())
    assert "Nothing imported yet" in empty
    assert "python manage.py import_articles PATH" in empty
    assert totals(reviewer_client.get(QUEUE))["All"] == "0"
    assert soup.select_one("table") is None


def test_no_matches_offers_to_clear_filters(reviewer_client, four):
    soup = soup_of(reviewer_client.get(QUEUE, {"q": "no such words anywhere"}))
    empty = soup.select_one(".empty-state")
    assert "No articles match these filters" in empty.get_text()
    assert empty.find("a", string="clear filters")["href"] == QUEUE
    assert soup.select_one("table") is None


def test_a_chosen_source_without_matches_stays_selected(reviewer_client, four):
    soup = soup_of(reviewer_client.get(QUEUE, {"source": "gone.example"}))
    selected = soup.select_one("#id_source option[selected]")
    assert selected.get_text() == "gone.example (0)"
    assert (
        "No articles match these filters" in soup.select_one(".empty-state").get_text()
    )


def _queue_queries(client, params=None, **headers) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE, params or {}, **headers)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def users(db) -> list[User]:
    return [User.objects.create_user(f"user{i}") for i in range(5)]


def _make_busy_articles(make_article, users: list[User], count: int) -> None:
    """Articles with different assignees and reviewers, so an N+1 on users would show."""
    for i in range(count):
        article = make_article(
            labels=["verified", "boilerplate", ""][: 1 + i % 3] + [""] * (2 - i % 3),
            assigned_to=users[i % 5] if i % 6 else None,
            source=f"site{i % 4}.com",
        )
        set_fields(
            article, last_reviewed_by=users[(i + 1) % 5], last_reviewed_at=day(7)
        )


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({}, {}),
        ({"status": "in_progress", "source": "site1.com", "sort": "progress"}, {}),
        ({"q": "paragraph 2", "imported_from": "2020-01-01", "page": "2"}, {}),
        ({"assigned": "none"}, {}),
        ({"sort": "-reviewed"}, HTMX),
    ],
)
def test_query_count_does_not_grow(
    reviewer_client, make_article, users, django_assert_max_num_queries, params, headers
):
    _make_busy_articles(make_article, users, 3)
    # 5: the session, the user, their permissions, the totals, the page (its users, return
    # and the reader's blind second reviews joined in, articles.queue.queries.page_rows);
    # a search looks its matches up first.
    most = 6 if "q" in params else 5
    with django_assert_max_num_queries(most):
        small = _queue_queries(reviewer_client, params, **headers)
    _make_busy_articles(make_article, users, 117)
    with django_assert_max_num_queries(most):
        large = _queue_queries(reviewer_client, params, **headers)
    assert len(small) == len(large)


def test_query_count_with_120_articles_on_the_page(
    reviewer_client, make_article, users, django_assert_max_num_queries
):
    _make_busy_articles(make_article, users, 120)
    with django_assert_max_num_queries(5):
        response = reviewer_client.get(QUEUE)
    assert len(titles(response)) == 50
    assert soup_of(response).select_one(".queue-range").get_text() == shown(1, 50, 120)


def test_htmx_response_pushes_the_short_url(reviewer_client, make_article):
    for _ in range(51):
        make_article(source="bbc.co.uk")
    form_fields = {
        "q": "",
        "status": "unreviewed",
        "source": "bbc.co.uk",
        "assigned": "",
        "imported_from": "2025-13-01",
        "imported_to": "",
        "sort": "-imported",
        "page": "2",
    }
    response = reviewer_client.get(QUEUE, form_fields, **HTMX)
    assert link(response["HX-Push-Url"]) == (
        "/",
        {"status": "unreviewed", "source": "bbc.co.uk", "page": "2"},
    )
    response = reviewer_client.get(QUEUE, {"q": "", "sort": "-imported"}, **HTMX)
    assert response["HX-Push-Url"] == "/"
    assert "HX-Push-Url" not in reviewer_client.get(QUEUE, form_fields)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Warsaw", "America/St_Johns"])
def test_row_dates_read_as_the_date_filter_shows_them(settings, zone):
    from django.template import Context, Template
    from django.utils import timezone

    from articles.queue.rows import dates

    settings.TIME_ZONE = zone
    template = Template(
        "{{ d|date:'c' }}|{{ d|date:'j M Y, H:i T' }}|{{ d|date:'j M Y' }}"
    )
    for moment in (
        day(1, 0),
        day(30, 23),
        datetime.datetime(2025, 7, 4, 9, 5, tzinfo=datetime.UTC),
    ):
        with timezone.override(zone):
            assert "|".join(dates(moment)) == template.render(Context({"d": moment}))


def test_hostile_values_in_a_row_stay_text(lead_client, make_article):
    # Titles, sources, usernames and return reasons come from imports and users: the rows
    # (articles/queue/rows.py, built without the template engine) must escape each of them.
    from articles.models import SignOff

    person = User.objects.create_user("<i>eve</i>\"&'")
    title = "<script>alert(\"t\")</script> & 'q' {title} {{ x }}"
    source = 'ev"il<&>.com'
    reason = '<b>Fix</b> & "this" ' + "x" * 80
    article = make_article(
        title=title, source=source, labels=["verified", "", ""], assigned_to=person
    )
    returned = SignOff.objects.create(
        article=article,
        decision=SignOff.Decision.RETURNED,
        by=person,
        at=day(8),
        content_hash=article.content_hash,
        reason=reason,
    )
    set_fields(
        article,
        returned=returned,
        last_reviewed_by=person,
        last_reviewed_at=day(7),
    )
    response = lead_client.get(QUEUE, {"source": source, "sort": "title"})
    assert b"<script>alert" not in response.content
    row = soup_of(response).select_one("tbody tr")
    assert row.select("script, b, i") == []
    assert row.select_one(".col-title a").get_text() == title
    assert link(row.select_one(".col-title a")["href"]) == (
        reverse("articles:detail", args=[article.pk]),
        {"source": source, "sort": "title"},
    )
    assert row.select_one(".row-select")["aria-label"] == f"Select “{title}”"
    assert row.select_one(".col-source").get_text() == source
    assert row.select_one(".col-assigned").get_text() == person.username
    assert row.select_one(".col-reviewed").get_text().endswith(f"by {person.username}")
    mark = row.select_one(".returned-mark")
    assert mark["title"] == reason
    assert mark.get_text() == f"Returned: {reason[:59]}…"


@pytest.mark.parametrize(
    "before",
    [
        datetime.timedelta(seconds=-30),
        datetime.timedelta(0),
        datetime.timedelta(seconds=59),
        datetime.timedelta(minutes=1),
        datetime.timedelta(minutes=59, seconds=59),
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=23, minutes=59),
        datetime.timedelta(days=1),
        datetime.timedelta(days=6, hours=23),
        datetime.timedelta(days=7),
        datetime.timedelta(days=27, hours=23),
        datetime.timedelta(days=28),
        datetime.timedelta(days=29, hours=1),
        datetime.timedelta(days=30),
        datetime.timedelta(days=31, seconds=1),
        datetime.timedelta(days=45),
        datetime.timedelta(days=365),
        datetime.timedelta(days=800, hours=3),
    ],
)
@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(2025, 3, 1, 0, 30, tzinfo=datetime.UTC),
        datetime.datetime(2025, 3, 31, 12, 0, 0, 5, tzinfo=datetime.UTC),
        datetime.datetime(2024, 3, 29, 23, 59, tzinfo=datetime.UTC),
        datetime.datetime(2025, 1, 1, 0, 0, tzinfo=datetime.UTC),
    ],
)
def test_row_ages_read_as_timesince_shows_them(now, before):
    from django.utils.timesince import timesince

    from articles.queue.rows import Rows

    moment = now - before
    assert Rows(now)._ago(moment) == timesince(moment, now, depth=1)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "reviewed"},
        {"q": 'fire & "smoke" <b>', "source": "a&b.com", "sort": "-imported"},
        {"q": "żółć ünï", "imported_from": "2025-03-01"},
    ],
)
@pytest.mark.parametrize(
    "changes",
    [{}, {"status": None}, {"status": "in_progress"}, {"sort": "title"}, {"page": 3}],
)
def test_queue_links_read_as_the_querystring_tag_wrote_them(params, changes):
    # articles.queue.controls.QueryLinks replaces {{ queue_url }}{% querystring params … %}
    from django.http import QueryDict
    from django.template.defaulttags import querystring
    from django.utils.html import escape

    from articles.queue.controls import QueryLinks

    query = QueryDict(mutable=True)
    query.update(params)
    expected = escape(QUEUE + querystring(None, query, **changes))
    assert QueryLinks(QUEUE, query).href(**changes) == expected


def test_only_an_open_second_review_hides_its_row_and_only_from_its_reviewer(
    client, make_article, reviewer, other_reviewer, lead
):
    # articles.queue.queries.blind_among reads ArticleQuerySet.blind_to's rule from the
    # page's own query: the two must agree on every article.
    from django.utils import timezone

    from articles.models import SecondReview

    open_review, finished, _unsent = (
        make_article(title=title, labels=["verified", "", ""], assigned_to=reviewer)
        for title in ("Open", "Finished", "None")
    )
    for article, finished_at in ((open_review, None), (finished, timezone.now())):
        SecondReview.objects.create(
            article=article,
            of_article=article,
            reviewer=other_reviewer,
            requested_by=lead,
            requested_at=timezone.now(),
            finished_at=finished_at,
        )
    for person in (other_reviewer, reviewer, lead):
        client.force_login(person)
        rows = soup_of(client.get(QUEUE)).select("tbody tr")
        blind = {
            row.select_one(".col-title a").get_text()
            for row in rows
            if row.select_one(".status-second")
        }
        assert blind == set(
            Article.objects.blind_to(person).values_list("title", flat=True)
        )
        assert blind == ({"Open"} if person == other_reviewer else set())
        assert len(rows) == 3
