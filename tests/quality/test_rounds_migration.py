"""Migration 0018_second_review_rounds on data: every existing second review becomes round 1
of its article, its content the article's (or "" when a revision came after it was submitted,
so that a new round may start), each opinion gets its paragraph's position."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0017_learned_boilerplate")]
AFTER = [("articles", "0018_second_review_rounds")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_reviews_become_round_one(django_user_model):
    apps = _migrate(BEFORE)
    try:
        Article = apps.get_model("articles", "Article")
        Paragraph = apps.get_model("articles", "Paragraph")
        SecondReview = apps.get_model("articles", "SecondReview")
        SecondOpinion = apps.get_model("articles", "SecondOpinion")
        User = apps.get_model("auth", "User")
        rita = User.objects.create(username="rita-m")
        now = timezone.now()
        kept = Article.objects.create(
            external_id="kept", title="Kept", content_hash="h-kept"
        )
        revised = Article.objects.create(
            external_id="revised",
            title="Revised",
            content_hash="h-new",
            revision=2,
            revised_at=now,
        )
        reviews = {}
        for article, finished in ((kept, now), (revised, now - datetime.timedelta(1))):
            paragraph = Paragraph.objects.create(
                article=article, position=4, html="<p>x</p>", text="x", text_hash="t"
            )
            reviews[article.external_id] = review = SecondReview.objects.create(
                article=article,
                reviewer=rita,
                requested_by=rita,
                requested_at=now - datetime.timedelta(2),
                finished_at=finished,
            )
            SecondOpinion.objects.create(
                review=review, paragraph=paragraph, article=article, label="verified"
            )
    finally:
        apps = _migrate(AFTER)
        _migrate(_latest())
    SecondReview = apps.get_model("articles", "SecondReview")
    SecondOpinion = apps.get_model("articles", "SecondOpinion")
    rows = {
        r.article_id: (r.of_article_id, r.round, r.content_hash)
        for r in SecondReview.objects.all()
    }
    kept_id, revised_id = reviews["kept"].article_id, reviews["revised"].article_id
    assert rows == {
        kept_id: (kept_id, 1, "h-kept"),
        revised_id: (revised_id, 1, ""),
    }
    assert set(SecondOpinion.objects.values_list("position", flat=True)) == {4}


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
