"""Leads deciding while a reviewer labels the same article, in real threads on PostgreSQL:
every label change is kept, and a sign-off stands only if no label changed after it."""

import random
import time

import pytest
from django.db import connection

from articles.models import Article, LabelEvent, ReviewStatus, SignOff
from articles.quality import signoff
from articles.review.labels import set_label
from tests.test_concurrency import run_in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite cannot run concurrent writers (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

SECONDS = 3.0


def test_sign_offs_and_label_changes_at_once_lose_nothing(
    make_article, reviewer, lead, staff
):
    article = make_article(
        labels=["verified", "verified", "boilerplate"], labeled_by=reviewer
    )
    made = {"labels": 0, "sign_offs": 0, "refused": 0}

    def work(user, rng: random.Random) -> int:
        deadline = time.monotonic() + SECONDS
        done = 0
        while time.monotonic() < deadline:
            if user == reviewer:
                seen = Article.objects.get(pk=article.pk)
                label = rng.choice(["verified", "unverified"])
                before = seen.paragraphs.get(position=1).label
                set_label(article_id=article.pk, position=1, label=label, user=user)
                done += label != before
                continue
            seen = Article.objects.get(pk=article.pk)
            try:
                signoff.sign_off(
                    article_id=article.pk,
                    user=user,
                    seen_reviewed_at=seen.last_reviewed_at,
                    seen_hash=seen.content_hash,
                )
                done += 1
            except (signoff.DecisionRefused, signoff.StaleArticle):
                made["refused"] += 1
        return done

    labels, *sign_offs = run_in_threads(work, [reviewer, lead, staff])
    made["labels"], made["sign_offs"] = labels, sum(sign_offs)

    article.refresh_from_db()
    assert LabelEvent.objects.filter(article=article).count() == made["labels"]
    assert SignOff.objects.count() == made["sign_offs"]
    assert made["labels"] > 3, "the reviewer barely ran; the test proves nothing"
    assert made["sign_offs"] > 1, "nobody signed off; the test proves nothing"
    standing = SignOff.objects.filter(withdrawn_at__isnull=True)
    assert standing.count() <= 1
    if article.status == ReviewStatus.SIGNED_OFF:
        decision = standing.get()
        assert article.signed_off_id == decision.pk
        last_change = LabelEvent.objects.filter(article=article).first()
        assert last_change.created_at <= decision.at
    else:
        assert not standing.exists()
    # Every withdrawn sign-off names the label change that withdrew it (stamped with that
    # change's time, which it took before it waited for the sign-off's lock).
    withdrawn = SignOff.objects.exclude(withdrawn_at=None)
    assert set(withdrawn.values_list("withdrawn_by", flat=True)) <= {reviewer.pk}
    assert set(withdrawn.values_list("withdrawn_reason", flat=True)) <= {
        "A label changed after the sign-off."
    }
