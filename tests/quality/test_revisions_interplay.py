"""A new revision of an article in a second review (articles.revisions and articles.quality).

An open second review follows the new paragraphs: the blind reviewer labels what the article
says now. A submitted one is history: its opinions stay, a deleted paragraph's detached and out
of the disagreement queue.
"""

import pytest

from articles.imports.importers import import_paths
from articles.models import Article, Paragraph, SecondOpinion
from articles.quality import adjudication, second
from articles.review.labels import set_label

pytestmark = pytest.mark.django_db

FIRST = [
    "<p>The council approved 12 new homes.</p>",
    "<p>The vote was 7 to 2.</p>",
    "<p>Two members abstained.</p>",
]
# Paragraph 2's figure edited, paragraph 3 deleted, a new paragraph added at the end.
SECOND = [
    "<p>The council approved 12 new homes.</p>",
    "<p>The vote was 8 to 1.</p>",
    "<p>Building starts in May.</p>",
]


def _import(folder, paragraphs):
    folder.mkdir(exist_ok=True)
    (folder / "council.txt").write_text(repr(paragraphs))
    return import_paths([folder])


@pytest.fixture
def in_second_review(tmp_path, reviewer, other_reviewer, lead):
    _import(tmp_path / "a", FIRST)
    article = Article.objects.get(external_id="council")
    for position, value in enumerate(["verified", "verified", "unverified"], start=1):
        set_label(article_id=article.pk, position=position, label=value, user=reviewer)
    assert (
        second.send_to_second_review(
            article_ids=[article.pk], reviewer=other_reviewer, by=lead
        ).sent
        == 1
    )
    return article


def _opinions(article):
    return {
        (o.paragraph.position if o.paragraph else None): o.label
        for o in SecondOpinion.objects.filter(article=article).select_related(
            "paragraph"
        )
    }


def _second_label(article, position, value, user):
    opinion = SecondOpinion.objects.get(article=article, paragraph__position=position)
    second.set_second_label(
        article_id=article.pk,
        position=position,
        label=value,
        user=user,
        expected_version=opinion.version,
    )


def test_an_open_second_review_follows_the_new_revision(
    tmp_path, in_second_review, other_reviewer
):
    article = in_second_review
    for position in (1, 2, 3):
        _second_label(article, position, "verified", other_reviewer)

    result = _import(tmp_path / "b", SECOND)

    assert result.revised == 1
    article.refresh_from_db()
    assert article.revision == 2
    texts = dict(
        Paragraph.objects.filter(article=article).values_list("position", "text")
    )
    assert texts == {
        1: "The council approved 12 new homes.",
        2: "The vote was 8 to 1.",
        3: "Building starts in May.",
    }
    # Unchanged keeps the blind label; edited starts again; the deleted paragraph's opinion is
    # gone; the added paragraph has an empty one to label.
    assert _opinions(article) == {1: "verified", 2: "", 3: ""}


def test_a_submitted_second_review_keeps_its_opinions_and_drops_deleted_from_the_queue(
    tmp_path, in_second_review, other_reviewer
):
    article = in_second_review
    for position, value in ((1, "verified"), (2, "verified"), (3, "boilerplate")):
        _second_label(article, position, value, other_reviewer)
    second.finish_second_review(article_id=article.pk, user=other_reviewer)
    # Paragraph 3: first "unverified", second "boilerplate": a disagreement to settle.
    assert adjudication.disagreement_count() == 1

    _import(tmp_path / "b", SECOND)

    # The deleted paragraph's opinion is kept, detached, with both labels; nothing to settle.
    detached = SecondOpinion.objects.get(article=article, paragraph__isnull=True)
    assert (detached.first_label, detached.label) == ("unverified", "boilerplate")
    assert adjudication.disagreement_count() == 0
    assert list(adjudication.disagreements()) == []


def _signed_off(tmp_path, reviewer, lead):
    from articles.quality.signoff import sign_off

    _import(tmp_path / "a", FIRST)
    article = Article.objects.get(external_id="council")
    for position, value in enumerate(["verified", "verified", "unverified"], start=1):
        set_label(article_id=article.pk, position=position, label=value, user=reviewer)
    article.refresh_from_db()
    sign_off(
        article_id=article.pk,
        user=lead,
        seen_reviewed_at=article.last_reviewed_at,
        seen_hash=article.content_hash,
    )
    article.refresh_from_db()
    assert article.status == "signed_off"
    return article


def test_a_revision_of_a_signed_off_article_withdraws_the_sign_off(
    tmp_path, reviewer, lead
):
    article = _signed_off(tmp_path, reviewer, lead)

    result = _import(tmp_path / "b", SECOND)

    assert result.revised == 1
    article.refresh_from_db()
    assert (article.revision, article.status) == (2, "in_progress")
    assert article.signed_off_id is None
    assert article.sign_offs.get().withdrawn_reason.startswith("Revision 2")


def test_a_links_only_revision_of_a_signed_off_article_withdraws_it_too(
    tmp_path, reviewer, lead
):
    article = _signed_off(tmp_path, reviewer, lead)
    relinked = [
        '<p>The council approved <a href="https://example.org/plan">12 new homes</a>.</p>',
        *FIRST[1:],
    ]

    result = _import(tmp_path / "b", relinked)

    assert result.revised == 1
    article.refresh_from_db()
    # Every label kept (links changed only), but the signed-off content is not this one.
    assert (article.revision, article.status) == (2, "reviewed")
    assert article.signed_off_id is None
