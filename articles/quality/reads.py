"""What the quality pages read: the blind page's paragraphs, one's second reviews, the Lead's
overview counts."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from articles.models import ArticleTally, ReviewStatus, SecondOpinion, SecondReview


@dataclass(frozen=True)
class BlindItem:
    """One paragraph as the second reviewer sees it: its text and their own opinion only.

    Built from named columns so that nothing of the first opinion (label, labeler, note) is
    even read for the blind page."""

    position: int
    html: str
    label: str
    note: str
    version: int


def blind_items(
    review: SecondReview, *, position: int | None = None
) -> list[BlindItem]:
    """The second reviewer's paragraphs of `review` (or the one at `position`), in order."""
    opinions = SecondOpinion.objects.filter(review=review, paragraph__isnull=False)
    if position is not None:
        opinions = opinions.filter(paragraph__position=position)
    return [
        BlindItem(*row)
        for row in opinions.order_by("paragraph__position").values_list(
            "paragraph__position", "paragraph__html", "label", "note", "version"
        )
    ]


def labeled_count(review: SecondReview) -> int:
    """How many paragraphs of `review` its reviewer has labeled."""
    return SecondOpinion.objects.filter(review=review).exclude(label="").count()


def second_review_of(article_id: int) -> SecondReview:
    """The article's current round of second review with its article (title, source, url
    only) and reviewer."""
    return (
        SecondReview.objects.select_related("article", "reviewer")
        .only(
            "article_id",
            "reviewer_id",
            "reviewer__username",
            "finished_at",
            "requested_at",
            "round",
            "compared",
            "agreed",
            "article__title",
            "article__source",
            "article__url",
            "article__paragraph_count",
        )
        .get(article_id=article_id)
    )


def second_reviews_of(user, *, finished: bool, limit: int = 200) -> list[SecondReview]:
    """`user`'s second reviews, open (oldest request first) or submitted (newest first), with
    how many paragraphs each has labeled."""
    reviews = SecondReview.objects.filter(
        reviewer=user, finished_at__isnull=not finished
    ).select_related("of_article")
    reviews = reviews.annotate(
        labeled=Count("opinions", filter=~Q(opinions__label=""))
    ).only(
        "article_id",
        "of_article_id",
        "round",
        "requested_at",
        "finished_at",
        "compared",
        "agreed",
        "of_article__title",
        "of_article__source",
        "of_article__paragraph_count",
    )
    order = ("-finished_at", "-id") if finished else ("requested_at", "id")
    return list(reviews.order_by(*order)[:limit])


def next_open_review(user, *, after_article: int) -> int | None:
    """The article id of `user`'s next open second review after this one, if any."""
    open_reviews = SecondReview.objects.filter(reviewer=user, finished_at__isnull=True)
    later = open_reviews.exclude(article_id=after_article).order_by(
        "requested_at", "id"
    )
    return later.values_list("article_id", flat=True).first()


def lead_counts() -> dict[str, int]:
    """The Lead's overview: articles awaiting sign-off, signed off, second reviews open."""
    statuses = dict(
        ArticleTally.objects.filter(
            status__in=[ReviewStatus.REVIEWED, ReviewStatus.SIGNED_OFF]
        )
        .values_list("status")
        .annotate(n=Sum("articles"))
        .values_list("status", "n")
    )
    reviews = SecondReview.objects.aggregate(
        open=Count("pk", filter=Q(finished_at__isnull=True)),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
    )
    return {
        "reviewed": statuses.get(ReviewStatus.REVIEWED, 0) or 0,
        "signed_off": statuses.get(ReviewStatus.SIGNED_OFF, 0) or 0,
        "open": reviews["open"],
        "finished": reviews["finished"],
    }
