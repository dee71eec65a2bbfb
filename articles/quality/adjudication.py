"""Where a Lead settles a disagreement: the chosen label (the first opinion, the second, or a
third) becomes the paragraph's label through the one label write (articles.review.labels.
set_label, method "adjudication", with its LabelEvent and counts), and the opinion records who
settled it, when and how.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from articles.models import LabelEvent, Paragraph, SecondOpinion
from articles.models.status import valid_label
from articles.review.labels import StaleParagraph, set_label


class AlreadySettled(Exception):
    """Another Lead settled this paragraph first; `opinion` says how."""

    def __init__(self, opinion: SecondOpinion):
        super().__init__("settled meanwhile")
        self.opinion = opinion


def unsettled() -> QuerySet:
    """Submitted second opinions that differ from the first and are not settled yet. Only the
    current round's opinions are attached to a paragraph: one a later revision deleted, or of
    an earlier round a later one replaced, has nothing left to settle."""
    return (
        SecondOpinion.objects.filter(
            review__finished_at__isnull=False,
            adjudicated_by__isnull=True,
            paragraph__isnull=False,
        )
        .exclude(first_label="")
        .exclude(first_label=F("label"))
    )


def unsettled_in(article_id: int) -> int:
    """How many paragraphs of the article's second review still disagree (one query)."""
    return unsettled().filter(article_id=article_id).count()


def disagreements(article_id: int | None = None) -> QuerySet:
    """unsettled(), of one article or all, oldest submission first, with everything the
    adjudication page shows joined in."""
    opinions = unsettled()
    if article_id is not None:
        opinions = opinions.filter(article_id=article_id)
    return opinions.select_related(
        "paragraph",
        "article",
        "first_by",
        "review__reviewer",
        "paragraph__labeled_by",
    ).order_by("review__finished_at", "article_id", "paragraph__position")


def disagreement_count() -> int:
    return unsettled().count()


@transaction.atomic
def adjudicate(
    *,
    opinion_id: int,
    label: str,
    user: AbstractBaseUser,
    expected_version: int,
) -> SecondOpinion:
    """Settle one disagreement with `label`; `expected_version` is the paragraph's version the
    Lead saw. Raises SecondOpinion.DoesNotExist, ValueError (unknown or empty label),
    AlreadySettled and articles.review.labels.StaleParagraph (the first label changed since).
    """
    label = valid_label(label)
    if not label:
        raise ValueError("Choose a label: a disagreement is settled with one.")
    opinion = (
        SecondOpinion.objects.select_for_update(of=("self",))
        .select_related("paragraph", "adjudicated_by")
        .get(pk=opinion_id, review__finished_at__isnull=False, paragraph__isnull=False)
    )
    if opinion.adjudicated_by_id is not None:
        raise AlreadySettled(opinion)
    paragraph: Paragraph = set_label(
        article_id=opinion.article_id,
        position=opinion.paragraph.position,
        label=label,
        user=user,
        method=LabelEvent.Method.ADJUDICATION,
        expected_version=expected_version,
    )
    opinion.adjudicated_label = label
    opinion.adjudicated_by = user
    opinion.adjudicated_at = timezone.now()
    opinion.save(
        update_fields=["adjudicated_label", "adjudicated_by", "adjudicated_at"]
    )
    opinion.paragraph = paragraph
    return opinion


__all__ = [
    "AlreadySettled",
    "StaleParagraph",
    "adjudicate",
    "disagreements",
    "unsettled",
    "unsettled_in",
]
