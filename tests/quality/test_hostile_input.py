"""Bad values on every quality POST: a 400 naming the field, and nothing changed."""

import pytest
from django.urls import reverse

from articles.models import Article, SecondOpinion, SecondReview, SignOff
from tests.quality.conftest import client_for

ATTACKS = [
    "",
    "verified'; DROP TABLE articles_article; --",
    "<script>x</script>",
    "²",
    "-1",
]


def assert_refused(response, field: str) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert f"{field}:" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"seen_hash": "x", "seen_reviewed_at": "yesterday"}, "seen_reviewed_at"),
        ({"seen_hash": "x" * 65}, "seen_hash"),
        ({"seen_reviewed_at": ""}, "seen_hash"),
    ],
)
def test_a_bad_sign_off_changes_nothing(lead, reviewed, data, field):
    article = reviewed()
    response = client_for(lead).post(
        reverse("articles:sign_off", args=[article.pk]), data
    )
    assert_refused(response, field)
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_return_needs_a_reason(lead, reviewed, reason):
    article = reviewed()
    response = client_for(lead).post(
        reverse("articles:return", args=[article.pk]),
        {"seen_hash": article.content_hash, "reason": reason},
    )
    assert_refused(response, "reason")
    assert not SignOff.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"mode": "chosen", "article": ["1"]}, "reviewer"),
        ({"reviewer": "999999", "mode": "chosen", "article": ["1"]}, "reviewer"),
        ({"reviewer": "<b>", "mode": "chosen", "article": ["1"]}, "reviewer"),
        ({"reviewer": "{oskar}", "mode": "everything", "article": ["1"]}, "mode"),
        ({"reviewer": "{oskar}", "mode": "chosen"}, "article"),
        ({"reviewer": "{oskar}", "mode": "chosen", "article": ["1; DROP"]}, "article"),
        ({"reviewer": "{oskar}", "mode": "chosen", "article": ["²"]}, "article"),
        ({"reviewer": "{oskar}", "mode": "chosen", "article": ["9" * 30]}, "article"),
        ({"reviewer": "{oskar}", "mode": "share", "percent": "0"}, "percent"),
        ({"reviewer": "{oskar}", "mode": "share", "percent": "101"}, "percent"),
        ({"reviewer": "{oskar}", "mode": "share", "percent": "ten"}, "percent"),
        ({"reviewer": "{oskar}", "mode": "share"}, "percent"),
        (
            {"reviewer": "{oskar}", "mode": "share", "percent": "10", "status": "all"},
            "status",
        ),
    ],
)
def test_a_bad_send_changes_nothing(lead, other_reviewer, reviewed, data, field):
    article = reviewed()
    data = {
        key: (
            value.replace("{oskar}", str(other_reviewer.pk))
            if isinstance(value, str)
            else [v.replace("1", str(article.pk), 1) if v == "1" else v for v in value]
        )
        for key, value in data.items()
    }
    response = client_for(lead).post(reverse("articles:send_second_review"), data)
    assert_refused(response, field)
    assert not SecondReview.objects.exists()


@pytest.mark.parametrize("value", ATTACKS[1:])
def test_a_bad_second_label_changes_nothing(reviewed, other_reviewer, send, value):
    article = reviewed()
    send(article, to=other_reviewer)
    client = client_for(other_reviewer)
    url = reverse("articles:second_label", args=[article.pk, 1])
    assert_refused(client.post(url, {"label": value}), "label")
    assert_refused(client.post(url, {"label": "verified", "version": value}), "version")
    note_url = reverse("articles:second_note", args=[article.pk, 1])
    assert_refused(client.post(note_url, {"note": "x" * 5001}), "note")
    assert not SecondOpinion.objects.exclude(label="", note="").exists()


def test_a_second_label_on_a_missing_paragraph_is_a_404(reviewed, other_reviewer, send):
    article = reviewed()
    send(article, to=other_reviewer)
    client = client_for(other_reviewer)
    url = reverse("articles:second_label", args=[article.pk, 99])
    assert client.post(url, {"label": "verified"}).status_code == 404
    assert client.get("/quality/second/99999999999999999999/").status_code == 404


@pytest.mark.parametrize("value", ATTACKS)
def test_a_bad_settlement_changes_nothing(lead, reviewed, value):
    article = reviewed()
    response = client_for(lead).post(
        reverse("articles:settle", args=[1]), {"label": value, "version": "0"}
    )
    assert_refused(response, "label")
    bad_version = client_for(lead).post(
        reverse("articles:settle", args=[1]), {"label": "verified", "version": value}
    )
    assert_refused(bad_version, "version")
    assert Article.objects.get(pk=article.pk).verified_count == 1


def test_a_send_never_redirects_off_the_site(lead, other_reviewer, reviewed):
    article = reviewed()
    response = client_for(lead).post(
        reverse("articles:send_second_review"),
        {
            "reviewer": other_reviewer.pk,
            "mode": "chosen",
            "article": [article.pk],
            "next": "https://evil.example/phish",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:queue")
