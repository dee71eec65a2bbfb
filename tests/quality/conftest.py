"""Quality control's fixtures: reviewed articles, a second review on them, clients per person."""

import pytest
from django.test import Client
from django.utils import timezone

from articles.quality import second


@pytest.fixture
def reviewed(make_article, reviewer):
    """reviewed(labels=[...], by=user, note=...) makes an article every paragraph of which is
    labeled (by `reviewer` unless told), as the review page leaves it."""

    def make(*, labels=None, by=None, **fields):
        labels = labels or ["verified", "unverified", "boilerplate"]
        by = by or reviewer
        fields.setdefault("n", len(labels))
        return make_article(
            labels=labels,
            labeled_by=by,
            last_reviewed_by=by,
            last_reviewed_at=timezone.now(),
            **fields,
        )

    return make


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def send(lead):
    """send(article, to=user): the Lead asks `to` for a blind second review of the article."""

    def run(article, *, to):
        result = second.send_to_second_review(
            article_ids=[article.pk], reviewer=to, by=lead
        )
        assert result.sent == 1, result.skipped
        return article.second_review

    return run
