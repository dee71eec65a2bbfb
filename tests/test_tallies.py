"""articles.triggers' tallies: the articles per (source, status) always equal a count of the articles."""

import pytest
from django.db import connection
from django.db.models import Count

from articles.boilerplate.propagation import apply_across_source, undo_propagation
from articles.imports.importers import import_paths
from articles.models import Article, ArticleTally, Paragraph
from articles.review.labels import reset_article, set_label

pytestmark = pytest.mark.django_db


def tallied() -> dict[tuple[str, str], int]:
    return {
        (source, status): n
        for source, status, n in ArticleTally.objects.values_list(
            "source", "status", "articles"
        )
        if n
    }


def counted() -> dict[tuple[str, str], int]:
    return {
        (source, status): n
        for source, status, n in Article.objects.order_by()
        .values_list("source", "status")
        .annotate(n=Count("pk"))
    }


def test_every_writer_keeps_the_tally_exact(tmp_path, make_article, reviewer, lead):
    (tmp_path / "bbc.co.uk").mkdir()
    for name in ("a1", "a2"):
        (tmp_path / "bbc.co.uk" / f"{name}.txt").write_text(
            repr([f"<b>Lead {name}.</b>", "Newsletter: sign up.", f"Body {name}."])
        )
    assert import_paths([tmp_path]).created == 2
    one = make_article(source="a.com", n=2)
    make_article(source="a.com", n=2, labels=["verified", ""])
    assert tallied() == counted()
    assert tallied()[("bbc.co.uk", "unreviewed")] == 2

    set_label(article_id=one.pk, position=1, label="verified", user=reviewer)
    assert tallied() == counted()
    set_label(article_id=one.pk, position=2, label="verified", user=reviewer)
    assert tallied()[("a.com", "reviewed")] == 1
    assert tallied() == counted()
    reset_article(article=one, user=lead)
    assert tallied() == counted()

    imported = Article.objects.filter(source="bbc.co.uk").first()
    text_hash = Paragraph.objects.get(article=imported, position=2).text_hash
    propagation = apply_across_source(
        source="bbc.co.uk", text_hash=text_hash, user=lead
    )
    assert (
        tallied()
        == counted()
        == {
            ("bbc.co.uk", "in_progress"): 2,
            ("a.com", "unreviewed"): 1,
            ("a.com", "in_progress"): 1,
        }
    )
    undo_propagation(propagation=propagation, user=lead)
    assert tallied() == counted()

    # Writers outside the services: an edit and a delete (the admin's, or raw SQL alike).
    spare = make_article(source="a.com")
    Article.objects.filter(pk=spare.pk).update(source="b.com")
    assert tallied() == counted()
    assert tallied()[("b.com", "unreviewed")] == 1
    spare.delete()
    assert tallied() == counted()
    assert ("b.com", "unreviewed") not in tallied()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers")
def test_triggers_lost_in_a_table_rebuild_come_back_and_recount(make_article):
    from articles.triggers import ensure_sqlite_triggers

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_article_tally_insert")
    make_article(source="a.com")
    assert tallied() == {}

    assert ensure_sqlite_triggers(using="default") == ["articles_article_tally_insert"]
    assert tallied() == counted() == {("a.com", "unreviewed"): 1}
    make_article(source="a.com")
    assert tallied() == {("a.com", "unreviewed"): 2}
    assert ensure_sqlite_triggers(using="default") == []
