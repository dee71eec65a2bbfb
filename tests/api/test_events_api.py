"""The label events feed: every change over HTTP, in order, exactly once across pages."""

import json

import pytest
from django.urls import reverse

from articles.api import events
from articles.models import Label, LabelEvent

EVENTS = "/api/v1/events"


@pytest.fixture(autouse=True)
def _no_settle_window(settings):
    # The window is for PostgreSQL's late commits; each test that is about it sets its own.
    settings.NEWSREVIEW_EVENTS_SETTLE_SECONDS = 0


def follow(api, *, limit: int) -> list[dict]:
    seen, after = [], 0
    for _ in range(1000):
        page = api.get(EVENTS, {"after": after, "limit": limit}).json()
        seen += page["results"]
        if page["next_after"] == after:
            return seen
        after = page["next_after"]
    raise AssertionError("the feed never ended")


def test_labels_set_over_http_appear_in_order_exactly_once_across_pages(
    client, reviewer, reviewer_token, make_article
):
    from tests.api.conftest import TokenClient

    articles = [make_article(n=4) for _ in range(3)]
    client.force_login(reviewer)
    made = []
    for article in articles:
        for position, label in zip(
            (1, 2, 3, 1),
            (Label.VERIFIED, Label.BOILERPLATE, Label.UNVERIFIED, Label.UNVERIFIED),
            strict=True,
        ):
            response = client.post(
                reverse("articles:label", args=[article.pk, position]),
                {"label": label},
            )
            assert response.status_code == 302
            made.append((article.external_id, position, label))
    api = TokenClient(client, reviewer_token)
    half = follow(api, limit=5)
    assert [(e["external_id"], e["position"], e["new_value"]) for e in half] == made
    assert [e["id"] for e in half] == sorted({e["id"] for e in half})
    assert half[3]["old_value"] == Label.VERIFIED
    assert half[0]["user"] == "rita"
    # Exactly the documented fields (the page is rendered without the schema, for speed).
    from articles.api.schemas import EventOut

    assert set(half[0]) == set(EventOut.model_fields)
    EventOut.model_validate(half[0])
    # A follower that is up to date gets nothing new, then only what came after.
    last = half[-1]["id"]
    assert api.get(EVENTS, {"after": last}).json() == {
        "results": [],
        "next_after": last,
    }
    client.post(
        reverse("articles:note", args=[articles[0].pk, 2]), {"note": "Checked."}
    )
    new = api.get(EVENTS, {"after": last}).json()["results"]
    assert [(e["field"], e["new_value"]) for e in new] == [("note", "Checked.")]


def test_recent_events_wait_for_the_settle_window(reviewer_api, make_article, settings):
    settings.NEWSREVIEW_EVENTS_SETTLE_SECONDS = 3600
    article = make_article()
    LabelEvent.objects.create(
        paragraph=article.paragraphs.first(), article=article, new_value="verified"
    )
    assert reviewer_api.get(EVENTS).json() == {"results": [], "next_after": 0}
    settings.NEWSREVIEW_EVENTS_SETTLE_SECONDS = 0
    assert len(reviewer_api.get(EVENTS).json()["results"]) == 1


@pytest.mark.postgres
def test_an_open_write_transaction_holds_back_later_events(
    transactional_db, make_article, reviewer, settings
):
    """PostgreSQL: ids are taken at insert and commits come in any order. While another
    session holds an uncommitted event, the feed stops before events created after that
    transaction began."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    settings.NEWSREVIEW_EVENTS_SETTLE_SECONDS = 0
    article = make_article()
    paragraphs = list(article.paragraphs.order_by("position"))
    inserted, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                # Another person's event: the dashboard's roll-up row of one reviewer, source
                # and day is locked by its writer until commit, so an event of the same
                # person (or of nobody, like `later`) would wait for this one.
                LabelEvent.objects.create(
                    paragraph=paragraphs[0],
                    article=article,
                    new_value="verified",
                    user=reviewer,
                )
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert inserted.wait(10)
        later = LabelEvent.objects.create(
            paragraph=paragraphs[1], article=article, new_value="boilerplate"
        )
        rows, next_after = events.event_page(after=0, limit=100)
        assert later.pk not in [row["id"] for row in rows]
        assert next_after < later.pk
    finally:
        release.set()
        thread.join()
    rows, _ = events.event_page(after=0, limit=100)
    assert [row["new_value"] for row in rows] == ["verified", "boilerplate"]


@pytest.mark.parametrize(
    "params",
    [
        {"after": "x"},
        {"after": "-5"},
        {"after": "1e9"},
        {"after": str(2**64)},
        {"limit": "-1"},
        {"limit": "many"},
        {"after": "1 OR 1=1"},
    ],
)
def test_bad_cursors_get_400_naming_the_field(reviewer_api, params):
    response = reviewer_api.get(EVENTS, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] in params


def test_an_events_page_is_a_fixed_number_of_queries(
    reviewer_api, make_article, django_assert_num_queries
):
    article = make_article(n=3)
    for paragraph in article.paragraphs.all():
        LabelEvent.objects.create(
            paragraph=paragraph, article=article, new_value="verified"
        )
    from django.db import connection

    # token touch, its user, the user's permissions, the page; on PostgreSQL the oldest open
    # write transaction (pg_stat_activity)
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 4):
        page = reviewer_api.get(EVENTS, {"limit": 1000})
    assert len(json.loads(page.content)["results"]) == 3
