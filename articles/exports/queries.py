"""The exports' reads: keyset batches (`id > after ORDER BY id LIMIT n`), so every batch is one
indexed query however deep into the export it is, with users' names joined in the same query."""

from django.db import models

from articles.models import Paragraph, RepeatedText


def _utc_time(field: str) -> models.ExpressionWrapper:
    """`field` read without Django's per-value datetime converter.

    The database hands back a datetime (naive UTC on SQLite, aware on PostgreSQL); on SQLite the
    converter that makes it aware cost a third of the articles export's time.
    """
    return models.ExpressionWrapper(models.F(field), output_field=models.Field())


def article_rows(articles, *, after: int, limit: int):
    """Up to `limit` of `articles` with id > `after`, in id order, as tuples for the articles CSV."""
    return (
        articles.filter(pk__gt=after)
        .order_by("pk")
        .values_list(
            "pk",
            "external_id",
            "title",
            "source",
            "url",
            "status",
            "paragraph_count",
            "verified_count",
            "unverified_count",
            "boilerplate_count",
            "assigned_to__username",
            "last_reviewed_by__username",
            _utc_time("last_reviewed_at"),
            _utc_time("imported_at"),
            # articles.revisions
            "revision",
            _utc_time("revised_at"),
            # Quality control (articles.quality)
            "signed_off__by__username",
            _utc_time("signed_off__at"),
            "second_review__reviewer__username",
            "second_review__compared",
            "second_review__agreed",
            "second_review__finished_at",
        )[:limit]
    )


def article_keys(articles, *, after: int, limit: int):
    """Up to `limit` of `articles` with id > `after`, in id order, as (id, external_id, source,
    paragraph_count, source_articles): the paragraphs CSV's cells of each article, read once.

    source_articles is the source's article count (RepeatedText's row with text_hash ""),
    one indexed lookup per article rather than one per paragraph.
    """
    source_articles = RepeatedText.objects.filter(
        source=models.OuterRef("source"), text_hash=""
    ).values("article_count")[:1]
    return (
        articles.filter(pk__gt=after)
        .order_by("pk")
        .values_list(
            "pk",
            "external_id",
            "source",
            "paragraph_count",
            models.Subquery(source_articles),
        )[:limit]
    )


def paragraph_rows(
    *, article_ids: list[int], after: tuple[int, int], limit: int
) -> list[tuple]:
    """Up to `limit` paragraphs of `article_ids` after (article_id, position), in that order, on
    the (article, position) unique index: one batch of the paragraphs CSV.

    Each tuple: article_id, position, label, labeled_by's username, labeled_at (UTC), note,
    text, link_share, cues, text_hash; then the article's revision, the paragraph's change
    and previous_label (articles.revisions); then the second opinion's label, its reviewer's
    and its adjudicator's usernames (articles.quality), always last.
    """
    article_id, position = after
    return list(
        Paragraph.objects.filter(article_id__in=article_ids)
        .filter(
            models.Q(article_id__gt=article_id)
            | models.Q(article_id=article_id, position__gt=position)
        )
        .order_by("article_id", "position")
        .values_list(
            "article_id",
            "position",
            "label",
            "labeled_by__username",
            _utc_time("labeled_at"),
            "note",
            "text",
            "link_share",
            "cues",
            "text_hash",
            # articles.revisions
            "article__revision",
            "change",
            "previous_label",
            # Quality control (articles.quality)
            "second_opinion__label",
            "second_opinion__review__reviewer__username",
            "second_opinion__adjudicated_by__username",
        )[:limit]
    )


def repetition(texts: set[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
    """{(source, text_hash): (article_count, boilerplate_labels, last labeler's username)} of
    these texts, in ONE query (a batch's worth: up to 2,000 texts)."""
    if not texts:
        return {}
    rows = RepeatedText.objects.filter(
        source__in={source for source, _ in texts},
        text_hash__in={text_hash for _, text_hash in texts},
    ).values_list(
        "source",
        "text_hash",
        "article_count",
        "boilerplate_labels",
        "last_labeled_by__username",
    )
    return {(source, text_hash): rest for source, text_hash, *rest in rows}
