"""Retrying a label whose save went through but whose answer was lost (finding: "Not saved",
then Retry answered 409 "changed by a colleague", the colleague being the reviewer themself)."""

from django.urls import reverse

from articles.models import LabelEvent, Paragraph
from articles.review.labels import set_label

HTMX = {"HTTP_HX_REQUEST": "true"}


def _label_url(article, position: int) -> str:
    return reverse("articles:label", args=[article.pk, position])


def test_retry_of_my_own_saved_label_is_a_success(
    reviewer_client, reviewer, make_article
):
    article = make_article(n=1)
    first = {"label": "verified", "version": "0"}
    # The first POST was saved; its answer never reached the page (the worker died).
    assert (
        reviewer_client.post(_label_url(article, 1), first, **HTMX).status_code == 200
    )

    retry = reviewer_client.post(_label_url(article, 1), first, **HTMX)

    assert retry.status_code == 200
    assert "while you were reading" not in retry.content.decode()
    assert LabelEvent.objects.count() == 1
    paragraph = Paragraph.objects.get()
    assert (paragraph.label, paragraph.labeled_by, paragraph.version) == (
        "verified",
        reviewer,
        1,
    )


def test_retry_onto_a_colleagues_same_label_is_still_a_conflict(
    reviewer_client, other_reviewer, make_article
):
    article = make_article(n=1)
    set_label(
        article_id=article.pk,
        position=1,
        label="verified",
        user=other_reviewer,
        expected_version=0,
    )
    response = reviewer_client.post(
        _label_url(article, 1), {"label": "verified", "version": "0"}, **HTMX
    )
    assert response.status_code == 409
    assert "oskar changed this paragraph" in response.content.decode()


def test_retry_of_a_different_label_onto_my_own_newer_version_is_a_conflict(
    reviewer_client, make_article
):
    article = make_article(n=1)
    url = _label_url(article, 1)
    reviewer_client.post(url, {"label": "verified", "version": "0"}, **HTMX)
    response = reviewer_client.post(
        url, {"label": "unverified", "version": "0"}, **HTMX
    )
    assert response.status_code == 409
    assert Paragraph.objects.get().label == "verified"
