"""Where a Lead's decision is saved: sign off a reviewed article, return it with a reason, and
withdraw a sign-off that no longer stands (a new revision).

A sign-off waits for the second review's disagreements to be settled (Unsettled, saying how
many): the article's labels are still the first opinion where the two differ. A Lead may sign
off anyway only explicitly, with a reason; the SignOff records how many were unsettled and why.

A decision is made on what the Lead saw: the form carries the article's last label change
(last_reviewed_at) and content (content_hash); if either moved meanwhile the decision is refused
(StaleArticle, a 409) and nothing is saved, the way a stale label POST is. The article row is
locked for the decision, so a label change that comes at the same moment waits for it and then
withdraws the sign-off it finds (the counts UPDATE clears it; a trigger writes the audit).
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ReviewStatus, SignOff, derive_status
from articles.models.signals import article_signed_off
from articles.quality.adjudication import unsettled_in
from articles.triggers import SIGN_OFF_WITHDRAWN_REASON

# What a decision reads and locks of the article.
_FIELDS = (
    "id",
    "status",
    "content_hash",
    "last_reviewed_at",
    "signed_off",
    "returned",
    "paragraph_count",
    "verified_count",
    "unverified_count",
    "boilerplate_count",
)


class DecisionRefused(Exception):
    """The article is not in a state the decision applies to; the message says why."""


class Unsettled(DecisionRefused):
    """The article's second review has `count` paragraphs whose opinions differ, not settled;
    nothing was saved."""

    def __init__(self, count: int):
        paragraphs = f"{count} paragraph{'s' * (count != 1)}"
        verb = "disagree" if count != 1 else "disagrees"
        super().__init__(
            f"Not signed off: {paragraphs} of the second review still {verb} with the "
            "first labels. Settle them first, or sign off anyway with a reason."
        )
        self.count = count


class StaleArticle(Exception):
    """The article's labels or content changed after the Lead loaded it; nothing was saved."""

    def __init__(self, article: Article):
        super().__init__("the article changed meanwhile")
        self.article = article


def _locked(article_id: int) -> Article:
    return Article.objects.select_for_update().only(*_FIELDS).get(pk=article_id)


def _check_seen(
    article: Article, *, seen_reviewed_at: datetime.datetime | None, seen_hash: str
) -> None:
    if (
        article.last_reviewed_at != seen_reviewed_at
        or article.content_hash != seen_hash
    ):
        raise StaleArticle(article)


def _close(pk: int | None, *, user, now, reason: str) -> None:
    if pk is not None:
        SignOff.objects.filter(pk=pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=user, withdrawn_reason=reason
        )


@transaction.atomic
def sign_off(
    *,
    article_id: int,
    user: AbstractBaseUser,
    seen_reviewed_at: datetime.datetime | None,
    seen_hash: str,
    override_reason: str = "",
) -> SignOff:
    """Sign off a reviewed article: who, when and which content (its content_hash).

    Refused while the article's second review has disagreements not settled, unless the Lead
    gives `override_reason` (then recorded with their number on the SignOff). Closes an open
    return. Raises Article.DoesNotExist, DecisionRefused (not reviewed, or signed off
    already), Unsettled and StaleArticle.
    """
    article = _locked(article_id)
    if article.status == ReviewStatus.SIGNED_OFF:
        raise DecisionRefused("The article is signed off already.")
    if article.status != ReviewStatus.REVIEWED:
        raise DecisionRefused(
            f"Only a reviewed article can be signed off: {article.labeled_count} of "
            f"{article.paragraph_count} paragraphs are labeled."
        )
    _check_seen(article, seen_reviewed_at=seen_reviewed_at, seen_hash=seen_hash)
    # Read under the article's lock. A settlement committed meanwhile is seen; one still in
    # flight counts as unsettled (refused: the cautious side), and if it changes a label its
    # counts UPDATE waits for this lock and then withdraws the sign-off, as any label change.
    unsettled = unsettled_in(article.pk)
    override_reason = override_reason.strip()
    if unsettled and not override_reason:
        raise Unsettled(unsettled)
    now = timezone.now()
    decision = SignOff.objects.create(
        article_id=article.pk,
        decision=SignOff.Decision.SIGNED_OFF,
        by=user,
        at=now,
        content_hash=article.content_hash,
        unsettled=unsettled,
        reason=override_reason if unsettled else "",
    )
    _close(article.returned_id, user=user, now=now, reason="Signed off.")
    Article.objects.filter(pk=article.pk).update(
        status=ReviewStatus.SIGNED_OFF, signed_off=decision, returned=None
    )
    article.status, article.signed_off, article.returned = (
        ReviewStatus.SIGNED_OFF,
        decision,
        None,
    )
    article_signed_off.send(sender=Article, article=article, by=user)
    return decision


@transaction.atomic
def return_article(
    *,
    article_id: int,
    user: AbstractBaseUser,
    reason: str,
    seen_reviewed_at: datetime.datetime | None,
    seen_hash: str,
) -> SignOff:
    """Return a reviewed (or signed-off) article to its reviewer with `reason`.

    A standing sign-off is withdrawn; an earlier open return is replaced. Raises
    Article.DoesNotExist, DecisionRefused (not reviewed yet, empty reason) and StaleArticle.
    """
    reason = reason.strip()
    if not reason:
        raise DecisionRefused("Say why the article goes back: the reason is empty.")
    article = _locked(article_id)
    if article.status not in (ReviewStatus.REVIEWED, ReviewStatus.SIGNED_OFF):
        raise DecisionRefused(
            "Only a reviewed article can be returned: it is "
            f"{ReviewStatus(article.status).label.lower()}."
        )
    _check_seen(article, seen_reviewed_at=seen_reviewed_at, seen_hash=seen_hash)
    now = timezone.now()
    decision = SignOff.objects.create(
        article_id=article.pk,
        decision=SignOff.Decision.RETURNED,
        by=user,
        at=now,
        content_hash=article.content_hash,
        reason=reason,
    )
    _close(
        article.signed_off_id, user=user, now=now, reason="Returned to the reviewer."
    )
    _close(article.returned_id, user=user, now=now, reason="Returned again.")
    Article.objects.filter(pk=article.pk).update(
        status=ReviewStatus.REVIEWED, signed_off=None, returned=decision
    )
    return decision


@transaction.atomic
def withdraw_for_revision(*, article_id: int, revision: int) -> SignOff | None:
    """A new revision of the article was written: its sign-off no longer stands.

    Withdraws the standing sign-off, or, when the revision's label writes have withdrawn it
    already (the generic "a label changed"), says that the revision did. Returns the sign-off
    concerned, or None when there was none.
    """
    article = _locked(article_id)
    reason = f"Revision {revision} undid the sign-off."
    now = timezone.now()
    if article.signed_off_id is not None:
        _close(article.signed_off_id, user=None, now=now, reason=reason)
        Article.objects.filter(pk=article.pk).update(
            signed_off=None,
            status=derive_status(
                labeled=article.labeled_count, total=article.paragraph_count
            ),
        )
        return SignOff.objects.get(pk=article.signed_off_id)
    latest = (
        SignOff.objects.filter(
            article_id=article.pk, decision=SignOff.Decision.SIGNED_OFF
        )
        .exclude(content_hash=article.content_hash)
        .first()
    )
    if (
        latest is None
        or latest.withdrawn_reason != SIGN_OFF_WITHDRAWN_REASON
        or latest.withdrawn_at != article.last_reviewed_at
    ):
        return None
    SignOff.objects.filter(pk=latest.pk).update(withdrawn_reason=reason)
    latest.withdrawn_reason = reason
    return latest
