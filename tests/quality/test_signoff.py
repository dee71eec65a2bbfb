"""Sign-off and return: the status they make, who/when/which content, and what undoes them."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.models import (
    Article,
    ArticleTally,
    LabelEvent,
    ReviewStatus,
    SignOff,
    derive_status,
)
from articles.models.signals import article_revised
from articles.quality import signoff
from articles.review.labels import reset_article, set_label
from articles.triggers import SIGN_OFF_WITHDRAWN_REASON
from tests.quality.conftest import client_for


def seen(article: Article) -> dict:
    article.refresh_from_db()
    return {
        "seen_reviewed_at": article.last_reviewed_at.isoformat()
        if article.last_reviewed_at
        else "",
        "seen_hash": article.content_hash,
    }


def sign(client, article, **extra):
    return client.post(
        reverse("articles:sign_off", args=[article.pk]), {**seen(article), **extra}
    )


def test_derive_status_knows_signed_off():
    assert derive_status(labeled=3, total=3, signed_off=True) == "signed_off"
    assert derive_status(labeled=3, total=3) == "reviewed"
    assert derive_status(labeled=2, total=3, signed_off=True) == "in_progress"


def test_a_lead_signs_off_a_reviewed_article(lead_client, lead, reviewed):
    article = reviewed()
    response = sign(lead_client, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ReviewStatus.SIGNED_OFF
    decision = article.signed_off
    assert (decision.decision, decision.by, decision.content_hash) == (
        "signed_off",
        lead,
        article.content_hash,
    )
    assert decision.withdrawn_at is None
    # The queue's totals see the new status, and its filter lists it.
    assert ArticleTally.objects.get(source=article.source, status="signed_off").articles
    page = lead_client.get(reverse("articles:queue"), {"status": "signed_off"})
    assert article.title in page.content.decode()
    # The review page names who and which content.
    text = lead_client.get(article.get_absolute_url()).content.decode()
    assert "Signed off" in text
    assert "lena" in text
    assert article.content_hash[:12] in text


def test_a_reviewer_cannot_sign_off_or_return(reviewer_client, reviewed):
    article = reviewed()
    assert sign(reviewer_client, article).status_code == 403
    returned = reviewer_client.post(
        reverse("articles:return", args=[article.pk]),
        {**seen(article), "reason": "Check paragraph 2"},
    )
    assert returned.status_code == 403
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    assert not SignOff.objects.exists()


def test_an_unfinished_article_cannot_be_signed_off(lead_client, make_article):
    article = make_article(labels=["verified", "", ""])
    response = sign(lead_client, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ReviewStatus.IN_PROGRESS
    assert not SignOff.objects.exists()
    page = lead_client.get(response["Location"]).content.decode()
    assert "Only a reviewed article can be signed off: 1 of 3" in page


def test_a_label_changed_since_the_lead_looked_refuses_the_sign_off(
    lead_client, reviewer, reviewed
):
    article = reviewed()
    looked = seen(article)
    set_label(article_id=article.pk, position=1, label="unverified", user=reviewer)
    response = lead_client.post(reverse("articles:sign_off", args=[article.pk]), looked)
    assert response.status_code == 409
    assert "changed while you were reading" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    assert not SignOff.objects.exists()


def test_changing_a_label_withdraws_the_sign_off_in_the_audit(
    lead_client, other_reviewer, reviewed
):
    article = reviewed()
    sign(lead_client, article)
    decision = SignOff.objects.get()
    set_label(article_id=article.pk, position=2, label="verified", user=other_reviewer)
    article.refresh_from_db()
    decision.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    assert article.signed_off is None
    assert decision.withdrawn_by == other_reviewer
    assert decision.withdrawn_at == article.last_reviewed_at
    assert decision.withdrawn_reason == SIGN_OFF_WITHDRAWN_REASON
    assert LabelEvent.objects.filter(article=article, new_value="verified").exists()


def test_a_bulk_reset_withdraws_the_sign_off_too(lead_client, lead, reviewed):
    article = reviewed()
    sign(lead_client, article)
    reset_article(article=article, user=lead)
    article.refresh_from_db()
    assert article.status == ReviewStatus.UNREVIEWED
    assert SignOff.objects.get().withdrawn_by == lead


def test_the_database_refuses_a_signed_off_status_without_a_sign_off(reviewed):
    article = reviewed()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=ReviewStatus.SIGNED_OFF)


def test_a_return_shows_its_reason_to_the_reviewer(lead_client, reviewer, reviewed):
    reviewer_client = client_for(reviewer)
    article = reviewed()
    response = lead_client.post(
        reverse("articles:return", args=[article.pk]),
        {**seen(article), "reason": "Paragraph 2 is a quote: <unverified>"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.returned.reason == "Paragraph 2 is a quote: <unverified>"
    page = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "Returned" in page
    assert "Paragraph 2 is a quote: &lt;unverified&gt;" in page
    queue = reviewer_client.get(reverse("articles:queue")).content.decode()
    assert "Returned: Paragraph 2 is a quote: &lt;unverified&gt;" in queue
    # Signing it off later closes the return.
    sign(lead_client, article)
    article.refresh_from_db()
    assert article.returned is None
    assert SignOff.objects.get(decision="returned").withdrawn_reason == "Signed off."


def test_returning_a_signed_off_article_withdraws_the_sign_off(lead_client, reviewed):
    article = reviewed()
    sign(lead_client, article)
    lead_client.post(
        reverse("articles:return", args=[article.pk]),
        {**seen(article), "reason": "New facts"},
    )
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    signed = SignOff.objects.get(decision="signed_off")
    assert signed.withdrawn_reason == "Returned to the reviewer."


def test_a_new_revision_undoes_the_sign_off(lead_client, reviewed):
    article = reviewed()
    sign(lead_client, article)
    Article.objects.filter(pk=article.pk).update(content_hash="f" * 64)
    article.refresh_from_db()
    article_revised.send(sender=Article, article=article, revision=2)
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    decision = SignOff.objects.get()
    assert decision.withdrawn_reason == "Revision 2 undid the sign-off."
    assert decision.content_hash != article.content_hash


def test_a_revision_that_relabels_names_itself_in_the_withdrawal(
    lead_client, lead, reviewed
):
    article = reviewed()
    sign(lead_client, article)
    # The revision's import wrote a new content hash and changed a label (withdrawing the
    # sign-off through the counts UPDATE) before it sent the signal.
    Article.objects.filter(pk=article.pk).update(content_hash="e" * 64)
    set_label(article_id=article.pk, position=1, label="", user=lead)
    article.refresh_from_db()
    article_revised.send(sender=Article, article=article, revision=3)
    assert SignOff.objects.get().withdrawn_reason == "Revision 3 undid the sign-off."


def test_a_revision_of_an_article_never_signed_off_changes_nothing(reviewed):
    article = reviewed()
    assert signoff.withdraw_for_revision(article_id=article.pk, revision=2) is None
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED


def test_two_leads_signing_off_at_once_make_one_sign_off(lead, staff, reviewed):
    article = reviewed()
    looked = seen(article)
    other = client_for(staff)
    first = client_for(lead).post(
        reverse("articles:sign_off", args=[article.pk]), looked
    )
    second = other.post(reverse("articles:sign_off", args=[article.pk]), looked)
    assert (first.status_code, second.status_code) == (302, 302)
    assert SignOff.objects.count() == 1
    follow = other.get(second["Location"]).content.decode()
    assert "signed off already" in follow


def test_the_queue_filters_returned_articles(lead_client, reviewer, reviewed):
    returned, other = reviewed(title="Sent back"), reviewed(title="Left alone")
    lead_client.post(
        reverse("articles:return", args=[returned.pk]),
        {**seen(returned), "reason": "Check the figures"},
    )
    page = client_for(reviewer).get(reverse("articles:queue"), {"quality": "returned"})
    text = page.content.decode()
    assert "Sent back" in text
    assert other.title not in text
    export = b"".join(
        client_for(reviewer)
        .get(reverse("articles:export_articles"), {"quality": "returned"})
        .streaming_content
    ).decode()
    assert returned.external_id in export
    assert other.external_id not in export
