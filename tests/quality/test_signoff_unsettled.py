"""Sign-off waits for the second review's disagreements to be settled (articles.quality.signoff):
the Lead is told how many and where, the POST is refused with nothing saved, and only an
explicit "sign off anyway" with a reason goes through, recorded on the sign-off."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from articles.models import (
    Article,
    LabelEvent,
    Paragraph,
    ReviewStatus,
    SecondOpinion,
    SignOff,
)
from articles.quality import signoff
from articles.quality.second import finish_second_review, set_second_label
from tests.quality.conftest import client_for
from tests.quality.test_adjudication import settle
from tests.quality.test_signoff import seen, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_disagree(reviewed, other_reviewer, send):
    """rita: verified, unverified, boilerplate, verified; oskar, submitted: verified,
    verified, verified, verified. Paragraphs 2 and 3 disagree."""
    article = reviewed(labels=["verified", "unverified", "boilerplate", "verified"])
    send(article, to=other_reviewer)
    for position in range(1, 5):
        set_second_label(
            article_id=article.pk,
            position=position,
            label="verified",
            user=other_reviewer,
        )
    finish_second_review(article_id=article.pk, user=other_reviewer)
    article.refresh_from_db()
    return article


def _unchanged(article: Article, labels: list) -> None:
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    assert article.signed_off_id is None
    assert not SignOff.objects.filter(article=article).exists()
    assert (
        list(
            Paragraph.objects.filter(article=article)
            .order_by("position")
            .values_list("label", flat=True)
        )
        == labels
    )


def test_the_page_says_how_many_disagree_links_there_and_offers_only_the_override(
    two_disagree, lead
):
    page = client_for(lead).get(two_disagree.get_absolute_url()).content.decode()
    assert "<strong>2 paragraphs</strong> of the second review still disagree" in page
    settle_url = f"{reverse('articles:disagreements')}?article={two_disagree.pk}"
    assert f'href="{settle_url}">Settle them</a>' in page
    # No plain Sign off button: the one form says "anyway" and needs a reason.
    assert (
        '<button type="submit" class="button button-primary">Sign off</button>'
        not in (page)
    )
    assert "Sign off anyway" in page
    assert '<textarea id="override-reason" name="override_reason"' in page


def test_a_plain_sign_off_is_refused_with_the_count_and_the_link_and_saves_nothing(
    two_disagree, lead
):
    before = LabelEvent.objects.count()
    for extra in ({}, {"override_reason": "   "}):
        response = sign(client_for(lead), two_disagree, **extra)
        assert response.status_code == 409
        text = response.content.decode()
        assert (
            "<strong>2 paragraphs</strong> of its second review still disagree" in text
        )
        assert f"?article={two_disagree.pk}" in text
        assert 'name="override_reason"' in text  # the override, with the seen fields
        assert f'value="{two_disagree.content_hash}"' in text
    _unchanged(two_disagree, ["verified", "unverified", "boilerplate", "verified"])
    assert LabelEvent.objects.count() == before


def test_the_service_refuses_too(two_disagree, lead):
    with pytest.raises(signoff.Unsettled) as refused:
        signoff.sign_off(
            article_id=two_disagree.pk,
            user=lead,
            seen_reviewed_at=two_disagree.last_reviewed_at,
            seen_hash=two_disagree.content_hash,
        )
    assert refused.value.count == 2
    assert "2 paragraphs of the second review still disagree" in str(refused.value)
    _unchanged(two_disagree, ["verified", "unverified", "boilerplate", "verified"])


def test_sign_off_anyway_needs_a_reason_and_records_it_with_the_count(
    two_disagree, lead
):
    reason = "Publishing tonight; the desk settles ¶2 and ¶3 tomorrow."
    client = client_for(lead)
    response = sign(client, two_disagree, override_reason=reason)
    assert response.status_code == 302
    two_disagree.refresh_from_db()
    assert two_disagree.status == ReviewStatus.SIGNED_OFF
    decision = two_disagree.signed_off
    assert (decision.by.username, decision.unsettled, decision.reason) == (
        "lena",
        2,
        reason,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Signed off with 2 disagreements not settled" in page
    # The disagreements stay to settle; the first labels are untouched.
    assert SecondOpinion.objects.filter(adjudicated_by__isnull=True).count() == 4


def test_the_refusal_page_signs_off_anyway_with_what_the_lead_saw(two_disagree, lead):
    """The 409 page's own form carries the article's last change and content back."""
    client = client_for(lead)
    refused = sign(client, two_disagree).content.decode()
    seen_at = refused.split('name="seen_reviewed_at" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        reverse("articles:sign_off", args=[two_disagree.pk]),
        {
            "seen_reviewed_at": seen_at,
            "seen_hash": two_disagree.content_hash,
            "override_reason": "Editor's call.",
        },
    )
    assert response.status_code == 302
    two_disagree.refresh_from_db()
    assert two_disagree.signed_off.unsettled == 2


def test_once_settled_the_ordinary_sign_off_goes_through_with_no_override(
    two_disagree, lead
):
    client = client_for(lead)
    for opinion in SecondOpinion.objects.filter(article=two_disagree).exclude(
        first_label="verified"
    ):
        assert (
            settle(client, opinion, "verified", opinion.paragraph.version).status_code
            == 302
        )
    page = client.get(two_disagree.get_absolute_url()).content.decode()
    assert "still disagree" not in page
    assert (
        '<button type="submit" class="button button-primary">Sign off</button>' in page
    )
    # The labels changed with the settlements: sign off what is there now.
    response = client.post(
        reverse("articles:sign_off", args=[two_disagree.pk]), seen(two_disagree)
    )
    assert response.status_code == 302
    two_disagree.refresh_from_db()
    assert (two_disagree.signed_off.unsettled, two_disagree.signed_off.reason) == (
        0,
        "",
    )


def test_a_reason_without_disagreements_records_nothing(reviewed, lead):
    article = reviewed()
    assert sign(client_for(lead), article, override_reason="no need").status_code == 302
    article.refresh_from_db()
    assert (article.signed_off.unsettled, article.signed_off.reason) == (0, "")


def test_the_disagreements_page_lists_one_articles_when_asked(
    two_disagree, reviewed, other_reviewer, send, lead
):
    other = reviewed(labels=["verified", "unverified"], title="Another story")
    send(other, to=other_reviewer)
    for position in (1, 2):
        set_second_label(
            article_id=other.pk,
            position=position,
            label="boilerplate",
            user=other_reviewer,
        )
    finish_second_review(article_id=other.pk, user=other_reviewer)
    client = client_for(lead)
    everything = client.get(reverse("articles:disagreements")).content.decode()
    assert everything.count('class="disagreement"') == 4
    one = client.get(
        reverse("articles:disagreements"), {"article": two_disagree.pk}
    ).content.decode()
    assert one.count('class="disagreement"') == 2
    assert f"Disagreements to settle in “{two_disagree.title}”" in one
    assert "Another story" not in one
    bad = client.get(reverse("articles:disagreements"), {"article": "1; DROP"})
    assert bad.status_code == 400
    assert bad.content.decode().startswith("article: ")
    assert (
        client.get(reverse("articles:disagreements"), {"article": 10**9}).status_code
        == 404
    )


def test_the_admin_shows_the_override_on_the_sign_off(two_disagree, lead, staff):
    sign(client_for(lead), two_disagree, override_reason="Editor's call.")
    admin = client_for(staff)
    decision = SignOff.objects.get()
    page = admin.get(
        reverse("admin:articles_signoff_change", args=[decision.pk])
    ).content.decode()
    assert "Editor&#x27;s call." in page
    listing = admin.get(reverse("admin:articles_signoff_changelist")).content.decode()
    assert 'class="field-unsettled">2<' in listing


@pytest.mark.parametrize(
    "value", ["abc", "-1", "1.5", "٣", "9" * 30, "1<script>", "0x10"]
)
def test_a_bad_article_filter_on_the_disagreements_page_is_refused(
    two_disagree, lead, value
):
    response = client_for(lead).get(
        reverse("articles:disagreements"), {"article": value}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("article: ")
    assert "is not an article id" in response.content.decode()


def test_an_unknown_article_on_the_disagreements_page_is_404(two_disagree, lead):
    response = client_for(lead).get(
        reverse("articles:disagreements"), {"article": two_disagree.pk + 1000}
    )
    assert response.status_code == 404


def test_a_hostile_override_reason_is_kept_as_text_and_a_too_long_one_refused(
    two_disagree, lead
):
    client = client_for(lead)
    too_long = sign(client, two_disagree, override_reason="x" * 2001)
    assert too_long.status_code == 400
    assert "override_reason" in too_long.content.decode()
    _unchanged(two_disagree, ["verified", "unverified", "boilerplate", "verified"])

    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    response = sign(client, two_disagree, override_reason=hostile)
    assert response.status_code == 302
    decision = SignOff.objects.get(article=two_disagree)
    assert decision.reason == hostile
    # Shown as text on the review page's panel and in the admin.
    page = client.get(two_disagree.get_absolute_url()).content.decode()
    assert (
        "Signed off with 2 disagreements of the second review not settled: "
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
        in page
    )
    admin_client = Client()
    admin_client.force_login(
        get_user_model().objects.create_superuser("root", password="x" * 20)
    )
    for url in (
        reverse("admin:articles_signoff_change", args=[decision.pk]),
        reverse("admin:articles_signoff_changelist"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()
    assert (
        "&lt;script&gt;alert(1)"
        in admin_client.get(
            reverse("admin:articles_signoff_change", args=[decision.pk])
        ).content.decode()
    )
