"""Undoing a source-wide label reverts only paragraphs still exactly as it left them: a label a
reviewer cleared and then set again deliberately is theirs, even though it reads the same."""

import threading

import pytest
from django.db import connection, transaction

from articles.boilerplate.propagation import apply_across_source, undo_propagation
from articles.models import Article, LabelEvent, Paragraph
from articles.review.labels import set_label
from tests.test_concurrency import recount, run_in_threads

FOOTER = "Sign up for our newsletter."


def _three_with_a_footer(make_article) -> list[Article]:
    return [
        make_article(paragraphs=[f"Body of article {i}.", FOOTER]) for i in range(3)
    ]


def _footer_labels(articles) -> list[str]:
    return [
        Paragraph.objects.get(article=article, position=2).label for article in articles
    ]


def _relabel_deliberately(article, user) -> None:
    for label in ["", "boilerplate"]:
        set_label(article_id=article.pk, position=2, label=label, user=user)


def test_undo_keeps_a_label_cleared_and_set_again(make_article, reviewer, lead):
    articles = _three_with_a_footer(make_article)
    footer_hash = Paragraph.objects.get(article=articles[0], position=2).text_hash
    propagation = apply_across_source(
        source="example.com", text_hash=footer_hash, user=lead
    )
    _relabel_deliberately(articles[1], reviewer)

    assert undo_propagation(propagation=propagation, user=lead) == 2

    assert _footer_labels(articles) == ["", "boilerplate", ""]
    kept = Paragraph.objects.get(article=articles[1], position=2)
    assert kept.labeled_by == reviewer
    assert not LabelEvent.objects.filter(method="undo", paragraph=kept).exists()
    for article in articles:
        stored, expected = recount(article)
        assert stored == expected


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite cannot run concurrent writers (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_undo_waiting_on_a_reviewer_keeps_what_the_reviewer_set(
    make_article, reviewer, lead
):
    """The reviewer clears and sets the label again in one transaction, holding the row; the
    undo starts meanwhile, waits for the row, and must see the reviewer's events then."""
    articles = _three_with_a_footer(make_article)
    footer_hash = Paragraph.objects.get(article=articles[0], position=2).text_hash
    propagation = apply_across_source(
        source="example.com", text_hash=footer_hash, user=lead
    )
    holding = threading.Event()
    undone = [0]

    def work(user, rng) -> int:
        if user == reviewer:
            with transaction.atomic():
                _relabel_deliberately(articles[1], reviewer)
                holding.set()
                # Long enough for the undo to start and block on this row.
                threading.Event().wait(1.0)
            return 0
        assert holding.wait(10)
        undone[0] = undo_propagation(propagation=propagation, user=lead)
        return undone[0]

    run_in_threads(work, [reviewer, lead])

    assert undone[0] == 2
    assert _footer_labels(articles) == ["", "boilerplate", ""]
    for article in articles:
        stored, expected = recount(article)
        assert stored == expected
