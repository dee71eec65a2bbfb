"""What the review page shows of quality control: the standing sign-off or open return, the
Lead's decision forms, the second review's state (Leads only), and whether the person looking
is the article's blind second reviewer (then they must not see this page at all)."""

from articles.models import Article, ReviewStatus, SecondReview, SignOff
from articles.quality.adjudication import unsettled_in


def second_review(article: Article) -> SecondReview | None:
    """The article's current round of second review, read with it
    (Article.objects.for_review())."""
    try:
        return article.second_review
    except SecondReview.DoesNotExist:
        return None


def is_blind(article: Article, user) -> bool:
    """Whether `user` is second-reviewing the article now and must not see its first labels."""
    review = second_review(article)
    return bool(review and review.reviewer_id == user.pk and review.finished_at is None)


def attach_decisions(article: Article) -> None:
    """Read the article's standing sign-off and open return, with who decided, in one query,
    and only when it has one (most articles have neither)."""
    ids = [pk for pk in (article.signed_off_id, article.returned_id) if pk]
    if not ids:
        return
    decisions = SignOff.objects.select_related("by").in_bulk(ids)
    if article.signed_off_id:
        article.signed_off = decisions[article.signed_off_id]
    if article.returned_id:
        article.returned = decisions[article.returned_id]


def review_panel(article: Article, user) -> dict:
    """The review page's quality panel: what it says and which forms it offers `user`."""
    attach_decisions(article)
    can_decide = user.has_perm("articles.signoff_article")
    is_lead = user.has_perm("articles.second_review_article")
    current = second_review(article)
    unsettled = 0
    if (
        current
        and current.finished_at
        and (can_decide or user.has_perm("articles.adjudicate_article"))
    ):
        # Sign-off waits for them (articles.quality.signoff): say so before the Lead tries.
        unsettled = unsettled_in(article.pk)
    review = current if is_lead else None
    return {
        "signed_off": article.signed_off,
        "returned": article.returned,
        "can_sign_off": can_decide and article.status == ReviewStatus.REVIEWED,
        "can_return": can_decide
        and article.status in (ReviewStatus.REVIEWED, ReviewStatus.SIGNED_OFF),
        # Who gives the second opinion is not the first reviewer's business.
        "second_review": review,
        "unsettled": unsettled,
        "seen_reviewed_at": article.last_reviewed_at.isoformat()
        if article.last_reviewed_at
        else "",
    }
