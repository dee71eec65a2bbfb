"""The blind second reviewer meets the first opinion nowhere else either: not by posting to the
ordinary review URLs, not on a paragraph's page or an earlier revision, not through the API."""

import pytest
from django.urls import reverse

from articles.api import tokens
from articles.models import LabelEvent, Paragraph
from tests.api.conftest import TokenClient
from tests.quality.conftest import client_for
from tests.quality.test_second_review import FIRST_NOTE

pytestmark = pytest.mark.django_db


@pytest.fixture
def blind(reviewed, other_reviewer, send):
    """rita labeled the article (a note on paragraph 1); oskar second-reviews it blind."""
    article = reviewed(labels=["verified", "unverified", "boilerplate"])
    Paragraph.objects.filter(article=article, position=1).update(note=FIRST_NOTE)
    send(article, to=other_reviewer)
    return article


def test_the_ordinary_review_urls_refuse_the_blind_reviewer_and_change_nothing(
    blind, other_reviewer
):
    oskar = client_for(other_reviewer)
    before = list(Paragraph.objects.filter(article=blind).values_list("label", "note"))
    posts = {
        reverse("articles:label", args=[blind.pk, 1]): {
            "label": "boilerplate",
            "version": 0,
        },
        reverse("articles:note", args=[blind.pk, 1]): {"note": "x", "version": 0},
        reverse("articles:boilerplate_rest", args=[blind.pk]): {"from_position": 1},
        reverse("articles:accept_suggestions", args=[blind.pk]): {},
        reverse("articles:undo", args=[blind.pk]): {},
    }
    for url, data in posts.items():
        for headers in ({}, {"HX-Request": "true"}):
            response = oskar.post(url, data, headers=headers)
            assert response.status_code == 403, url
            text = response.content.decode()
            assert "rita" not in text
            assert FIRST_NOTE not in text
    page = oskar.get(reverse("articles:paragraph", args=[blind.pk, 1]))
    assert page.status_code == 403
    assert "rita" not in page.content.decode()
    after = list(Paragraph.objects.filter(article=blind).values_list("label", "note"))
    assert after == before
    assert not LabelEvent.objects.filter(user=other_reviewer).exists()


def test_the_first_reviewer_and_leads_still_use_them(blind, reviewer):
    rita = client_for(reviewer)
    page = rita.get(reverse("articles:paragraph", args=[blind.pk, 1]))
    assert page.status_code == 200


def test_the_api_keeps_the_first_opinion_from_the_blind_reviewers_token(
    client, blind, other_reviewer, reviewer, settings
):
    # The feed serves what was just written.
    settings.NEWSREVIEW_EVENTS_SETTLE_SECONDS = 0
    oskar = TokenClient(client, tokens.create(user=other_reviewer, name="oskar")[1])
    answer = oskar.get(f"/api/v1/articles/{blind.pk}")
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["field"] == "article_id"
    assert "rita" not in answer.content.decode()
    # Events of the article are left out of the blind reviewer's feed, not of others'.
    from articles.review.labels import set_label

    set_label(article_id=blind.pk, position=2, label="verified", user=reviewer)
    feed = oskar.get("/api/v1/events", {"after": 0}).json()["results"]
    assert blind.pk not in {row["article_id"] for row in feed}
    rita = TokenClient(client, tokens.create(user=reviewer, name="rita")[1])
    assert blind.pk in {
        row["article_id"]
        for row in rita.get("/api/v1/events", {"after": 0}).json()["results"]
    }
