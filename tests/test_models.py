import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, Paragraph, ReviewStatus, derive_status


@pytest.mark.parametrize(
    ("labeled", "total", "status"),
    [
        (0, 0, "unreviewed"),
        (0, 5, "unreviewed"),
        (1, 5, "in_progress"),
        (5, 5, "reviewed"),
    ],
)
def test_derive_status(labeled, total, status):
    assert derive_status(labeled=labeled, total=total) == status


def test_database_refuses_a_status_that_does_not_match_the_counts(make_article):
    article = make_article(n=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=ReviewStatus.REVIEWED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            verified_count=1
        )  # status stays unreviewed


def test_database_refuses_more_labels_than_paragraphs(make_article):
    article = make_article(n=2, labels=["verified", "verified"])
    assert article.status == ReviewStatus.REVIEWED
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(boilerplate_count=1)


def test_database_refuses_unknown_labels_and_duplicate_positions(make_article):
    article = make_article(n=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.filter(article=article, position=1).update(label="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.filter(article=article, position=1).update(position=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.filter(article=article, position=1).update(position=0)


def test_database_refuses_a_second_article_with_the_same_external_id(make_article):
    make_article(external_id="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(external_id="same")


def test_progress_rounds_down(make_article):
    article = make_article(n=3, labels=["verified", "boilerplate", ""])
    assert (
        article.labeled_count,
        article.unlabeled_count,
        article.progress_percent,
    ) == (2, 1, 66)
