"""The exports' quality columns: sign-off, second reviewer, agreement, opinions."""

import csv
import io

from django.urls import reverse
from django.utils import timezone

from articles.quality.second import finish_second_review, set_second_label
from articles.quality.signoff import sign_off
from tests.quality.conftest import client_for


def rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_articles_csv_says_who_signed_off_and_how_far_the_second_review_agreed(
    reviewed, lead, other_reviewer, send
):
    article = reviewed(labels=["verified", "verified", "unverified", "boilerplate"])
    send(article, to=other_reviewer)
    for position, value in enumerate(
        ["verified", "unverified", "unverified", "boilerplate"], 1
    ):
        set_second_label(
            article_id=article.pk, position=position, label=value, user=other_reviewer
        )
    finish_second_review(article_id=article.pk, user=other_reviewer)
    article.refresh_from_db()
    decision = sign_off(
        article_id=article.pk,
        user=lead,
        seen_reviewed_at=article.last_reviewed_at,
        seen_hash=article.content_hash,
        override_reason="Paragraph 2 is settled by the desk tomorrow.",
    )
    untouched = reviewed()
    exported = {
        row["external_id"]: row
        for row in rows(client_for(lead).get(reverse("articles:export_articles")))
    }
    row = exported[article.external_id]
    assert row["status"] == "signed_off"
    assert row["signed_off_by"] == "lena"
    assert row["signed_off_at"] == timezone.localtime(decision.at).isoformat()
    assert row["second_reviewer"] == "oskar"
    assert row["agreement_percent"] == "75.000"
    other = exported[untouched.external_id]
    assert [
        other[key] for key in ("signed_off_by", "second_reviewer", "agreement_percent")
    ] == [
        "",
        "",
        "",
    ]


def test_an_open_second_review_has_a_reviewer_and_no_agreement_yet(
    reviewed, lead, other_reviewer, send
):
    article = reviewed()
    send(article, to=other_reviewer)
    (row,) = rows(client_for(lead).get(reverse("articles:export_articles")))
    assert (row["second_reviewer"], row["agreement_percent"]) == ("oskar", "")
