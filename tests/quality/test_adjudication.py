"""Settling disagreements: both opinions side by side, the choice becomes the label."""

import pytest
from django.urls import reverse

from articles.models import LabelEvent, Paragraph, ReviewStatus, SecondOpinion, SignOff
from articles.quality.second import finish_second_review, set_second_label
from articles.quality.signoff import sign_off
from articles.review.labels import set_label
from tests.quality.conftest import client_for

HTMX = {"HX-Request": "true"}


@pytest.fixture
def disagreement(reviewed, reviewer, other_reviewer, send):
    """rita: verified, unverified, boilerplate; oskar: verified, boilerplate, boilerplate
    with a note on paragraph 2; submitted. Paragraph 2 is the one disagreement."""
    article = reviewed()
    Paragraph.objects.filter(article=article, position=2).update(note="rita's doubt")
    send(article, to=other_reviewer)
    for position, value in enumerate(["verified", "boilerplate", "boilerplate"], 1):
        set_second_label(
            article_id=article.pk, position=position, label=value, user=other_reviewer
        )
    SecondOpinion.objects.filter(paragraph__position=2).update(note="oskar: a footer")
    finish_second_review(article_id=article.pk, user=other_reviewer)
    return SecondOpinion.objects.get(article=article, paragraph__position=2)


def settle(client, opinion, value, version=0, **headers):
    return client.post(
        reverse("articles:settle", args=[opinion.pk]),
        {"label": value, "version": str(version)},
        headers=headers,
    )


def test_the_queue_shows_each_disagreement_with_both_opinions(disagreement, lead):
    page = client_for(lead).get(reverse("articles:disagreements")).content.decode()
    assert page.count('class="disagreement"') == 1
    for text in ("rita", "oskar", "rita&#x27;s doubt", "oskar: a footer"):
        assert text in page
    assert "Take first: Unverified" in page
    assert "Take second: Boilerplate" in page
    assert "Third: Verified" in page


def test_taking_the_second_opinion_makes_it_the_label_with_its_history(
    disagreement, lead
):
    paragraph = disagreement.paragraph
    response = settle(
        client_for(lead), disagreement, "boilerplate", paragraph.version, **HTMX
    )
    assert response.status_code == 200
    assert (
        "Settled as <strong>Boilerplate</strong> by lena" in response.content.decode()
    )
    paragraph.refresh_from_db()
    assert (paragraph.label, paragraph.labeled_by.username) == ("boilerplate", "lena")
    event = LabelEvent.objects.get(paragraph=paragraph, method="adjudication")
    assert (event.old_value, event.new_value, event.user.username) == (
        "unverified",
        "boilerplate",
        "lena",
    )
    disagreement.refresh_from_db()
    assert disagreement.adjudicated_by.username == "lena"
    # The opinions compared stay as they were: agreement is about the reviewers.
    assert (disagreement.first_label, disagreement.label) == (
        "unverified",
        "boilerplate",
    )
    page = client_for(lead).get(reverse("articles:disagreements")).content.decode()
    assert "Nothing to settle" in page
    rows = b"".join(
        client_for(lead).get(reverse("articles:export_paragraphs")).streaming_content
    ).decode()
    assert ",boilerplate,oskar,lena\r\n" in rows


def test_settling_a_signed_off_article_withdraws_the_sign_off(disagreement, lead):
    article = disagreement.article
    article.refresh_from_db()
    sign_off(  # over the disagreement, explicitly (test_signoff_unsettled.py)
        article_id=article.pk,
        user=lead,
        seen_reviewed_at=article.last_reviewed_at,
        seen_hash=article.content_hash,
        override_reason="Publishing tonight; settled after.",
    )
    settle(client_for(lead), disagreement, "verified", disagreement.paragraph.version)
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    assert SignOff.objects.get().withdrawn_by.username == "lena"


def test_a_reviewer_cannot_settle_or_see_the_disagreements(disagreement, reviewer):
    client = client_for(reviewer)
    assert client.get(reverse("articles:disagreements")).status_code == 403
    assert settle(client, disagreement, "verified").status_code == 403
    disagreement.paragraph.refresh_from_db()
    assert disagreement.paragraph.label == "unverified"


def test_a_label_changed_since_the_lead_looked_is_a_409(disagreement, lead, reviewer):
    looked = disagreement.paragraph.version
    set_label(
        article_id=disagreement.article_id, position=2, label="verified", user=reviewer
    )
    response = settle(client_for(lead), disagreement, "boilerplate", looked, **HTMX)
    assert response.status_code == 409
    assert "changed to Verified while you were reading" in response.content.decode()
    disagreement.refresh_from_db()
    assert disagreement.adjudicated_by is None


def test_two_leads_settling_at_once_keep_the_first(disagreement, lead, staff):
    version = disagreement.paragraph.version
    settle(client_for(lead), disagreement, "boilerplate", version, **HTMX)
    late = settle(client_for(staff), disagreement, "verified", version, **HTMX)
    assert late.status_code == 409
    assert "lena settled this paragraph as Boilerplate" in late.content.decode()
    disagreement.paragraph.refresh_from_db()
    assert disagreement.paragraph.label == "boilerplate"


def test_the_review_page_tells_the_lead_what_is_unsettled(disagreement, lead):
    client = client_for(lead)
    page = client.get(disagreement.article.get_absolute_url()).content.decode()
    assert "<strong>1 paragraph</strong> of the second review still disagrees" in page
    assert "Second review by <strong>oskar</strong>" in page
    assert "submitted, 67% agreement on 3 paragraphs" in page
    settle(client, disagreement, "boilerplate", disagreement.paragraph.version)
    page = client.get(disagreement.article.get_absolute_url()).content.decode()
    assert "still disagree" not in page
