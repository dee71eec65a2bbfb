"""An earlier revision's page and the blind second reviewer (articles/revisions/views.py).

The labels an earlier revision had are the first opinion too, with the first reviewer's name:
while someone second-reviews the article blind, its earlier revisions are refused to them (403,
nothing of the first opinion in the answer); once they have submitted, the page is theirs to read
like anyone's.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, ReviewStatus
from articles.quality import second
from tests.revisions.conftest import label_over_http
from tests.revisions.test_views import FIRST, SECOND

pytestmark = pytest.mark.django_db


@pytest.fixture
def blind_on_revised(reimport, reviewer_client, other_reviewer, lead):
    """rita labels revision 1 and then revision 2's new paragraphs; oskar second-reviews it."""
    reimport(FIRST)
    article = Article.objects.get()
    label_over_http(
        reviewer_client,
        article,
        {1: "verified", 2: "verified", 3: "unverified", 4: "boilerplate"},
    )
    assert reimport(SECOND).revised == 1
    article.refresh_from_db()
    label_over_http(reviewer_client, article, {1: "verified", 3: "unverified"})
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    sent = second.send_to_second_review(
        article_ids=[article.pk], reviewer=other_reviewer, by=lead
    )
    assert sent.sent == 1, sent.skipped
    oskar = Client()
    oskar.force_login(other_reviewer)
    return article, oskar


def test_the_blind_second_reviewer_is_refused_an_earlier_revision(blind_on_revised):
    article, oskar = blind_on_revised
    response = oskar.get(reverse("articles:revision", args=[article.pk, 1]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "rita" not in text  # the first reviewer's name
    assert "Shelters remain open" not in text  # nor the revision's paragraphs
    assert "label-badge label-" not in text  # nor a first label


def test_others_still_read_it_and_the_reviewer_does_once_submitted(
    blind_on_revised, reviewer_client, other_reviewer
):
    article, oskar = blind_on_revised
    url = reverse("articles:revision", args=[article.pk, 1])
    assert reviewer_client.get(url).status_code == 200
    for position in range(1, article.paragraph_count + 1):
        second.set_second_label(
            article_id=article.pk,
            position=position,
            label="verified",
            user=other_reviewer,
        )
    second.finish_second_review(article_id=article.pk, user=other_reviewer)
    response = oskar.get(url)
    assert response.status_code == 200
    assert "Shelters remain open" in response.content.decode()
