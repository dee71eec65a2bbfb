"""Agreement per reviewer on the dashboard: the quality tally's compared and agreed paragraphs,
each reviewer on either side of a pair; a reviewer sees their own line only."""

import csv
import io

import pytest
from django.test import Client

from articles.models import AgreementTally
from articles.quality import second

pytestmark = pytest.mark.django_db


def rows(client, **params):
    response = client.get("/dashboard/agreement.csv", params)
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def reviewed_twice(make_article, reviewer, other_reviewer, lead):
    """Two articles rita labeled (3 paragraphs each) that oskar second-reviewed: he agrees
    on 4 of the 6 paragraphs; one article is from b.example."""
    first = make_article(
        labels=["verified", "unverified", "boilerplate"], labeled_by=reviewer
    )
    other = make_article(
        labels=["verified", "verified", "verified"],
        labeled_by=reviewer,
        source="b.example",
    )
    second.send_to_second_review(
        article_ids=[first.pk, other.pk], reviewer=other_reviewer, by=lead
    )
    for article, labels in (
        (first, ["verified", "verified", "boilerplate"]),
        (other, ["verified", "unverified", "verified"]),
    ):
        for position, value in enumerate(labels, start=1):
            second.set_second_label(
                article_id=article.pk,
                position=position,
                label=value,
                user=other_reviewer,
            )
        second.finish_second_review(article_id=article.pk, user=other_reviewer)


def test_the_lead_sees_each_reviewers_agreement_as_the_tally_says(
    reviewed_twice, lead, reviewer, other_reviewer
):
    client = Client()
    client.force_login(lead)
    table = rows(client)
    assert table[0] == [
        "reviewer",
        "paragraphs_compared",
        "agreed",
        "percent_agreement",
    ]
    assert sorted(table[1:]) == [
        ["oskar", "6", "4", "66.7"],
        ["rita", "6", "4", "66.7"],
    ]
    # The same figures as a recount of the tally.
    tally = list(
        AgreementTally.objects.values_list("first_label", "second_label", "paragraphs")
    )
    assert sum(n for *_, n in tally) == 6
    assert sum(n for a, b, n in tally if a == b) == 4
    # One source: rita and oskar agreed on 2 of b.example's 3 paragraphs.
    assert sorted(rows(client, source="b.example")[1:]) == [
        ["oskar", "3", "2", "66.7"],
        ["rita", "3", "2", "66.7"],
    ]
    page = client.get("/dashboard/").content.decode()
    assert "Agreement per reviewer" in page


def test_a_reviewer_sees_their_own_agreement_only(reviewed_twice, reviewer):
    client = Client()
    client.force_login(reviewer)
    assert rows(client)[1:] == [["rita", "6", "4", "66.7"]]
