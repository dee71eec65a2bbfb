"""Malformed request values: each gets a clear 400 naming the field, or a 404, never a 500.

The test client re-raises a view's exception, so a 500 fails these tests with its traceback.
"""

import pytest
from django.urls import reverse

from articles.models import Article, LabelEvent
from tests.test_queue_views import notices

BEYOND_64_BITS = "99999999999999999999"
SUPERSCRIPT_TWO = "²"  # str.isdigit() says True; int() refuses it


@pytest.mark.parametrize(
    "path",
    [
        f"/articles/{BEYOND_64_BITS}/",
        f"/articles/{BEYOND_64_BITS}/next/",
        f"/articles/{2**63}/",
        f"/import/{BEYOND_64_BITS}/",
        f"/boilerplate/undo/{BEYOND_64_BITS}/",
    ],
)
def test_ids_beyond_64_bits_in_a_page_address_are_404(lead_client, path):
    assert lead_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/articles/{BEYOND_64_BITS}/paragraphs/1/label/",
        f"/articles/1/paragraphs/{BEYOND_64_BITS}/label/",
        f"/articles/{BEYOND_64_BITS}/paragraphs/1/note/",
        f"/articles/{BEYOND_64_BITS}/boilerplate-rest/",
        f"/articles/{BEYOND_64_BITS}/suggestions/accept/",
        f"/articles/{BEYOND_64_BITS}/assign/",
        f"/articles/{BEYOND_64_BITS}/reset/",
        f"/boilerplate/undo/{BEYOND_64_BITS}/",
    ],
)
def test_ids_beyond_64_bits_in_a_post_address_are_404(lead_client, path):
    data = {"label": "verified", "note": "x", "from_position": "1", "assignee": "me"}
    assert lead_client.post(path, data).status_code == 404


@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, BEYOND_64_BITS, "0", "-1", "last"])
def test_accept_suggestion_refuses_a_bad_position(reviewer_client, make_article, value):
    article = make_article()
    url = reverse("articles:accept_suggestions", args=[article.pk])
    response = reviewer_client.post(url, {"position": value})
    assert response.status_code == 400
    assert response.content.decode().startswith("Not saved. position: ")
    assert not LabelEvent.objects.exists()


@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, BEYOND_64_BITS, "", "x"])
def test_rest_as_boilerplate_refuses_a_bad_position(
    reviewer_client, make_article, value
):
    article = make_article()
    url = reverse("articles:boilerplate_rest", args=[article.pk])
    response = reviewer_client.post(url, {"from_position": value})
    assert response.status_code == 400
    assert response.content.decode().startswith("Not saved. from_position: ")


@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, BEYOND_64_BITS, "-3", "rita"])
def test_assign_refuses_a_bad_assignee(lead_client, make_article, value):
    article = make_article()
    response = lead_client.post(
        reverse("articles:assign", args=[article.pk]), {"assignee": value}
    )
    assert response.status_code == 400
    assert response.content.decode().startswith("Not assigned. assignee: ")
    assert Article.objects.get().assigned_to is None


@pytest.mark.parametrize("field", ["imported_to", "imported_from"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_calendars_ends_are_refused_by_the_exports(
    reviewer_client, make_article, field, day
):
    make_article()
    for name in ["articles:export_articles", "articles:export_paragraphs"]:
        response = reviewer_client.get(reverse(name), {field: day})
        assert response.status_code == 400
        assert response.content.decode().startswith(f"Not exported. {field}: ")


def test_the_calendars_last_day_is_dropped_by_the_queue_with_a_notice(
    reviewer_client, make_article
):
    make_article(title="Still listed")
    response = reviewer_client.get(
        reverse("articles:queue"), {"imported_to": "9999-12-31"}
    )
    assert response.status_code == 200
    assert "Still listed" in response.content.decode()
    assert (
        "Imported to: Ensure this value is less than or equal to 9999-12-30."
        in notices(response)
    )


def test_the_last_usable_day_still_filters(reviewer_client, make_article):
    make_article(title="Still listed")
    params = {"imported_from": "0001-01-02", "imported_to": "9999-12-30"}
    queue = reviewer_client.get(reverse("articles:queue"), params)
    assert "Still listed" in queue.content.decode()
    assert notices(queue) == ""
    export = reviewer_client.get(reverse("articles:export_articles"), params)
    assert b"Still listed" in b"".join(export.streaming_content)
