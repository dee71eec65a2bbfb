"""articles.review.labels: labels, counts, status and the audit trail always agree."""

import pytest
from django.db.models import Count

from articles.models import (
    COUNT_FIELD,
    Article,
    LabelEvent,
    Paragraph,
    ReviewStatus,
    derive_status,
)
from articles.review.labels import (
    StaleParagraph,
    assign_articles,
    label_rest_as_boilerplate,
    reset_article,
    set_label,
    set_note,
)

pytestmark = pytest.mark.django_db


def assert_counts_match_paragraphs(article: Article) -> None:
    """Recount from the paragraphs and compare with the stored counters and status."""
    article.refresh_from_db()
    per_label = dict(
        Paragraph.objects.filter(article=article)
        .values_list("label")
        .annotate(n=Count("pk"))
    )
    expected = {field: per_label.get(label, 0) for label, field in COUNT_FIELD.items()}
    assert {field: getattr(article, field) for field in expected} == expected
    total = sum(per_label.values())
    assert article.paragraph_count == total
    labeled = total - per_label.get("", 0)
    assert article.status == derive_status(labeled=labeled, total=total)


def labels(article: Article) -> list[str]:
    return list(article.paragraphs.order_by("position").values_list("label", flat=True))


def test_assign_articles_assigns_and_unassigns_in_one_update(
    make_article, reviewer, lead, django_assert_num_queries
):
    first, second, untouched = make_article(), make_article(), make_article()
    chosen = Article.objects.filter(pk__in=[first.pk, second.pk])

    with django_assert_num_queries(1):
        assert assign_articles(articles=chosen, assignee=reviewer, by=lead) == 2

    assigned = dict(Article.objects.values_list("pk", "assigned_to"))
    assert assigned == {
        first.pk: reviewer.pk,
        second.pk: reviewer.pk,
        untouched.pk: None,
    }

    assert assign_articles(articles=chosen, assignee=None, by=lead) == 2
    assert not Article.objects.filter(assigned_to__isnull=False).exists()


def test_set_label_updates_paragraph_counts_status_and_writes_one_event(
    make_article, reviewer
):
    article = make_article(n=3)

    paragraph = set_label(
        article_id=article.pk, position=2, label="verified", user=reviewer
    )

    assert (paragraph.label, paragraph.labeled_by, paragraph.version) == (
        "verified",
        reviewer,
        1,
    )
    assert paragraph.labeled_at is not None
    assert paragraph.article.verified_count == 1
    assert paragraph.article.status == ReviewStatus.IN_PROGRESS
    assert_counts_match_paragraphs(article)
    assert article.status == ReviewStatus.IN_PROGRESS
    assert article.last_reviewed_by == reviewer
    event = LabelEvent.objects.get()
    assert (event.old_value, event.new_value, event.method, event.user) == (
        "",
        "verified",
        "click",
        reviewer,
    )
    assert event.paragraph == paragraph
    assert event.article_id == article.pk


def test_relabel_and_clear_move_counts_between_labels(make_article, reviewer):
    article = make_article(n=2)
    set_label(article_id=article.pk, position=1, label="verified", user=reviewer)
    set_label(article_id=article.pk, position=2, label="boilerplate", user=reviewer)
    assert_counts_match_paragraphs(article)
    assert article.status == ReviewStatus.REVIEWED

    set_label(
        article_id=article.pk,
        position=1,
        label="unverified",
        user=reviewer,
        method="keyboard",
    )
    assert_counts_match_paragraphs(article)
    assert (article.verified_count, article.unverified_count) == (0, 1)

    set_label(article_id=article.pk, position=1, label="", user=reviewer)
    set_label(article_id=article.pk, position=2, label="", user=reviewer)
    assert_counts_match_paragraphs(article)
    assert article.status == ReviewStatus.UNREVIEWED
    assert list(
        LabelEvent.objects.order_by("id").values_list(
            "old_value", "new_value", "method"
        )
    ) == [
        ("", "verified", "click"),
        ("", "boilerplate", "click"),
        ("verified", "unverified", "keyboard"),
        ("unverified", "", "click"),
        ("boilerplate", "", "click"),
    ]


def test_unchanged_label_is_a_no_op_without_event(make_article, reviewer):
    article = make_article(n=2, labels=["verified", ""])

    paragraph = set_label(
        article_id=article.pk, position=1, label="verified", user=reviewer
    )

    assert paragraph.version == 0
    assert not LabelEvent.objects.exists()
    assert_counts_match_paragraphs(article)


def test_unknown_label_is_refused_with_the_allowed_values(make_article, reviewer):
    article = make_article(n=1)

    with pytest.raises(ValueError, match=r"Unknown label 'true'.*verified, unverified"):
        set_label(article_id=article.pk, position=1, label="true", user=reviewer)

    assert labels(article) == [""]
    assert not LabelEvent.objects.exists()


def test_stale_version_is_refused_and_keeps_the_other_label(
    make_article, reviewer, other_reviewer
):
    article = make_article(n=1)
    set_label(
        article_id=article.pk,
        position=1,
        label="verified",
        user=other_reviewer,
        expected_version=0,
    )

    with pytest.raises(StaleParagraph) as stale:
        set_label(
            article_id=article.pk,
            position=1,
            label="unverified",
            user=reviewer,
            expected_version=0,
        )

    assert stale.value.paragraph.label == "verified"
    assert stale.value.paragraph.labeled_by == other_reviewer
    assert labels(article) == ["verified"]
    assert LabelEvent.objects.count() == 1
    assert_counts_match_paragraphs(article)


def test_set_label_on_missing_paragraph_raises(make_article, reviewer):
    article = make_article(n=1)
    with pytest.raises(Paragraph.DoesNotExist):
        set_label(article_id=article.pk, position=2, label="verified", user=reviewer)


def test_set_note_writes_a_note_event_and_bumps_version(make_article, reviewer):
    article = make_article(n=1)

    paragraph = set_note(
        article_id=article.pk, position=1, note="  Check the figure.  ", user=reviewer
    )
    same = set_note(
        article_id=article.pk, position=1, note="Check the figure.", user=reviewer
    )

    assert (paragraph.note, paragraph.version, same.version) == (
        "Check the figure.",
        1,
        1,
    )
    event = LabelEvent.objects.get()
    assert (event.field, event.old_value, event.new_value) == (
        "note",
        "",
        "Check the figure.",
    )
    with pytest.raises(StaleParagraph):
        set_note(
            article_id=article.pk,
            position=1,
            note="Other",
            user=reviewer,
            expected_version=0,
        )
    assert_counts_match_paragraphs(article)


def test_label_rest_as_boilerplate_keeps_labels_set_further_down(
    make_article, reviewer, django_assert_max_num_queries
):
    article = make_article(
        n=6, labels=["verified", "", "verified", "", "unverified", ""]
    )

    with django_assert_max_num_queries(7):
        changed = label_rest_as_boilerplate(
            article_id=article.pk, from_position=3, user=reviewer
        )

    assert changed == 3
    assert labels(article) == [
        "verified",
        "",
        "boilerplate",
        "boilerplate",
        "unverified",
        "boilerplate",
    ]
    assert_counts_match_paragraphs(article)
    assert article.status == ReviewStatus.IN_PROGRESS
    events = LabelEvent.objects.order_by("paragraph__position")
    assert [(e.paragraph.position, e.old_value, e.new_value) for e in events] == [
        (3, "verified", "boilerplate"),
        (4, "", "boilerplate"),
        (6, "", "boilerplate"),
    ]
    assert {e.method for e in events} == {"bulk"}
    assert len({e.batch for e in events}) == 1
    assert set(
        article.paragraphs.filter(position__in=[3, 4, 6]).values_list(
            "version", flat=True
        )
    ) == {1}

    assert (
        label_rest_as_boilerplate(article_id=article.pk, from_position=6, user=reviewer)
        == 0
    )
    assert LabelEvent.objects.count() == 3


def test_label_rest_as_boilerplate_can_finish_the_review(make_article, reviewer):
    article = make_article(n=3, labels=["verified", "", ""])

    label_rest_as_boilerplate(article_id=article.pk, from_position=2, user=reviewer)

    assert_counts_match_paragraphs(article)
    assert article.status == ReviewStatus.REVIEWED


def test_reset_article_clears_every_label_with_reset_events(make_article, lead):
    article = make_article(n=4, labels=["verified", "unverified", "", "boilerplate"])

    assert reset_article(article=article, user=lead) == 3

    assert labels(article) == ["", "", "", ""]
    assert_counts_match_paragraphs(article)
    assert article.status == ReviewStatus.UNREVIEWED
    assert sorted(
        LabelEvent.objects.values_list("old_value", "new_value", "method", "user")
    ) == [
        ("boilerplate", "", "reset", lead.pk),
        ("unverified", "", "reset", lead.pk),
        ("verified", "", "reset", lead.pk),
    ]
    assert reset_article(article=article, user=lead) == 0
