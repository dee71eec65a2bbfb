"""The old zip rule's duplicates: reported, and merged with every label and event kept."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, LabelEvent, Paragraph
from articles.review.labels import set_label
from articles.revisions.duplicates import find_duplicates


def _run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("zip_duplicates", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def triple(make_article, reviewer, other_reviewer):
    """000_x, batch-a.zip:000_x and batch-b.zip:000_x: the same three paragraphs, labeled
    in different places by two people."""
    texts = ["First.", "Second 34,000.", "Third."]
    plain = make_article(external_id="000_x", paragraphs=texts)
    a = make_article(external_id="batch-a.zip:000_x", paragraphs=texts)
    b = make_article(external_id="batch-b.zip:000_x", paragraphs=texts)
    set_label(article_id=plain.pk, position=1, label="verified", user=reviewer)
    set_label(article_id=a.pk, position=2, label="unverified", user=other_reviewer)
    set_label(article_id=b.pk, position=3, label="boilerplate", user=reviewer)
    set_label(article_id=b.pk, position=1, label="verified", user=reviewer)
    return plain, a, b


def test_the_report_lists_each_group_and_changes_nothing(triple):
    code, out, err = _run()
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("000_x: 000_x (#")
    assert "batch-a.zip:000_x" in out
    assert "batch-b.zip:000_x" in out
    assert "1 group; run with --merge" in out
    assert Article.objects.count() == 3


def test_merge_keeps_every_label_and_the_audit_trail(triple, reviewer, other_reviewer):
    plain, _, _ = triple
    events = LabelEvent.objects.count()
    code, out, err = _run("--merge")
    assert (code, err) == (0, "")
    assert "merged into 000_x: 2 labels carried over" in out
    article = Article.objects.get()
    assert article.pk == plain.pk
    labels = list(
        Paragraph.objects.order_by("position").values_list("label", "labeled_by")
    )
    assert labels == [
        ("verified", reviewer.pk),
        ("unverified", other_reviewer.pk),
        ("boilerplate", reviewer.pk),
    ]
    assert (article.status, article.labeled_count) == ("reviewed", 3)
    # Every event kept (now on the one article), plus one per carried label.
    assert LabelEvent.objects.count() == events + 2
    assert set(LabelEvent.objects.values_list("article", flat=True)) == {plain.pk}
    assert not LabelEvent.objects.filter(paragraph__isnull=True).exists()
    assert find_duplicates() == []


def test_a_lone_prefixed_article_is_renamed(make_article):
    make_article(external_id="daily.zip:123_y")
    assert _run("--merge")[0] == 0
    assert Article.objects.get().external_id == "123_y"


def test_conflicting_labels_leave_the_group_as_it_was(make_article, reviewer):
    texts = ["Only."]
    plain = make_article(external_id="000_z", paragraphs=texts)
    other = make_article(external_id="b.zip:000_z", paragraphs=texts)
    set_label(article_id=plain.pk, position=1, label="verified", user=reviewer)
    set_label(article_id=other.pk, position=1, label="unverified", user=reviewer)
    code, _, err = _run("--merge")
    assert code == 1
    assert "not merged: ¶1 is verified in one and unverified in b.zip:000_z" in err
    assert Article.objects.count() == 2


def test_nothing_to_do(db):
    assert _run() == (0, "No articles with a zip's name in their id.\n", "")


def test_a_merged_article_opens_on_its_review_page(triple, reviewer_client):
    _run("--merge")
    article = Article.objects.get()
    response = reviewer_client.get(reverse("articles:detail", args=[article.pk]))
    assert response.status_code == 200
