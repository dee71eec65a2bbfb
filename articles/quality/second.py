"""Where a second review is saved: a Lead sends articles to it, the second reviewer labels
blind, then submits; submitting compares the two opinions and adds them to the agreement tally.

The second opinion never touches the paragraph: the article's label stays the first until a
Lead settles a disagreement (articles.quality.adjudication).
"""

import math
import random
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, router, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from articles.models import (
    AgreementTally,
    Article,
    Change,
    Paragraph,
    ReviewStatus,
    SecondOpinion,
    SecondReview,
    SignOff,
)
from articles.models.labeling import chunks
from articles.models.status import valid_label

# Articles a second review can start on: every paragraph labeled (and see eligible()).
READY = (ReviewStatus.REVIEWED, ReviewStatus.SIGNED_OFF)
IN_REVIEW = "in a second review already"
DONE = (
    "second-reviewed already and unchanged since (a new round needs a new revision "
    "or a return)"
)


class NotYours(Exception):
    """Only the assigned second reviewer labels and submits a second review."""


class SecondReviewClosed(Exception):
    """The second review was submitted; its opinions no longer change."""


class NotFinished(Exception):
    """Some paragraphs have no second label yet; the message says how many."""


class StaleOpinion(Exception):
    """The opinion changed after the reviewer loaded it (another tab); nothing was saved."""

    def __init__(self, opinion: SecondOpinion):
        super().__init__(f"paragraph {opinion.paragraph.position} changed meanwhile")
        self.opinion = opinion


@dataclass
class Sent:
    """What send_to_second_review() did: articles sent, and why the others were not."""

    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, n: int) -> None:
        if n:
            self.skipped[reason] = self.skipped.get(reason, 0) + n


def new_round_allowed() -> Q:
    """Articles a (new) round of second review may start on: none yet, or the last round was
    submitted and since then a revision changed the text (the round's content_hash is not the
    article's) or a Lead returned the article (the first reviewer's labels are new work).
    Otherwise the earlier round stands: it compared what the article still says."""
    returned_since = Exists(
        SignOff.objects.filter(
            article=OuterRef("pk"),
            decision=SignOff.Decision.RETURNED,
            at__gt=OuterRef("second_review__finished_at"),
        )
    )
    changed = ~Q(second_review__content_hash=F("content_hash")) | Q(returned_since)
    return Q(second_review__isnull=True) | (
        Q(second_review__finished_at__isnull=False) & changed
    )


def eligible(articles: QuerySet, reviewer: AbstractBaseUser) -> QuerySet:
    """Of `articles`, those `reviewer` can second-review: fully labeled, no round open nor a
    submitted one on the same content (new_round_allowed), and not labeled by `reviewer` (a
    second opinion must be someone else's)."""
    own = Paragraph.objects.filter(article=OuterRef("pk"), labeled_by=reviewer)
    return articles.filter(
        new_round_allowed(), status__in=READY, paragraph_count__gt=0
    ).exclude(Exists(own))


def draw_share(
    articles: QuerySet, *, percent: int, reviewer: AbstractBaseUser, seed=None
) -> list[int]:
    """Ids of `percent`% (rounded up) of each source's eligible articles, drawn at random."""
    by_source: dict[str, list[int]] = {}
    rows = eligible(articles, reviewer).order_by("pk").values_list("pk", "source")
    for pk, source in rows:
        by_source.setdefault(source, []).append(pk)
    rng = random.Random(seed)  # noqa: S311 (a sample, not a secret)
    drawn: list[int] = []
    for ids in by_source.values():
        drawn += rng.sample(ids, math.ceil(len(ids) * percent / 100))
    return sorted(drawn)


@transaction.atomic
def send_to_second_review(
    *, article_ids: list[int], reviewer: AbstractBaseUser, by: AbstractBaseUser
) -> Sent:
    """Ask `reviewer` for a blind second opinion on each article: a new round (SecondReview)
    and one empty SecondOpinion per paragraph. An earlier round stays as it was, detached
    (its opinions keep their labels and positions; it stays in the agreement tally). Articles
    that cannot go are counted by reason in the result."""
    result = Sent()
    wanted = sorted(set(article_ids))
    # Locked in id order: two Leads sending the same article start one round, not two.
    existing = set(
        Article.objects.select_for_update()
        .filter(pk__in=wanted)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = Article.objects.filter(pk__in=wanted)
    ready = set(eligible(chosen, reviewer).values_list("pk", flat=True))
    current = dict(
        SecondReview.objects.filter(article_id__in=wanted).values_list(
            "article_id", "finished_at"
        )
    )
    blocked = set(chosen.exclude(new_round_allowed()).values_list("pk", flat=True))
    open_now = {pk for pk, finished in current.items() if finished is None}
    already = blocked | open_now
    own = set(
        Paragraph.objects.filter(article_id__in=wanted, labeled_by=reviewer)
        .values_list("article_id", flat=True)
        .distinct()
    )
    result.skip("no such article", len(set(wanted) - existing))
    result.skip(IN_REVIEW, len(open_now & existing))
    result.skip(DONE, len((blocked - open_now) & existing))
    result.skip(
        "labeled in part by the second reviewer", len((own & existing) - already)
    )
    result.skip("not fully labeled yet", len(existing - ready - already - own))
    if not ready:
        return result
    now = timezone.now()
    ids = sorted(ready)
    rounds = _close_rounds(ids)
    hashes = dict(chosen.filter(pk__in=ids).values_list("pk", "content_hash"))
    reviews = SecondReview.objects.bulk_create(
        SecondReview(
            article_id=pk,
            of_article_id=pk,
            round=rounds.get(pk, 0) + 1,
            content_hash=hashes[pk],
            reviewer=reviewer,
            requested_by=by,
            requested_at=now,
        )
        for pk in ids
    )
    review_of = {review.article_id: review.pk for review in reviews}
    if (
        None in review_of.values()
    ):  # a database that does not return ids from bulk inserts
        review_of = dict(
            SecondReview.objects.filter(article_id__in=ids).values_list(
                "article_id", "pk"
            )
        )
    for chunk in chunks(ids):
        SecondOpinion.objects.bulk_create(
            (
                SecondOpinion(
                    review_id=review_of[article_id],
                    paragraph_id=paragraph_id,
                    article_id=article_id,
                    position=position,
                )
                for paragraph_id, article_id, position in Paragraph.objects.filter(
                    article_id__in=chunk
                ).values_list("pk", "article_id", "position")
            ),
            batch_size=2000,
        )
    result.sent = len(ids)
    return result


def _close_rounds(article_ids: list[int]) -> dict[int, int]:
    """Detach the submitted current rounds of these articles before a new round starts: the
    round stops being `article.second_review` and its opinions stop being their paragraphs'
    `second_opinion` (each keeps its position). Returns {article id: its last round number}."""
    previous = list(
        SecondReview.objects.filter(article_id__in=article_ids).values_list(
            "pk", "article_id", "round"
        )
    )
    if previous:
        pks = [pk for pk, _, _ in previous]
        SecondOpinion.objects.filter(review_id__in=pks).update(paragraph=None)
        SecondReview.objects.filter(pk__in=pks).update(article=None)
    return {article_id: number for _, article_id, number in previous}


def _locked_opinion(
    article_id: int, position: int, user, expected_version: int | None
) -> SecondOpinion:
    opinion = (
        SecondOpinion.objects.select_for_update(of=("self",))
        .select_related("review", "paragraph")
        .get(article_id=article_id, paragraph__position=position)
    )
    if opinion.review.reviewer_id != user.pk:
        raise NotYours("This second review is someone else's.")
    if opinion.review.finished_at is not None:
        raise SecondReviewClosed("This second review was submitted already.")
    if expected_version is not None and opinion.version != expected_version:
        raise StaleOpinion(opinion)
    return opinion


@transaction.atomic
def set_second_label(
    *,
    article_id: int,
    position: int,
    label: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> SecondOpinion:
    """The second reviewer's label on one paragraph ("" clears it).

    Raises SecondOpinion.DoesNotExist, ValueError (unknown label), NotYours,
    SecondReviewClosed and StaleOpinion (unless it already holds `label`: a retry).
    """
    label = valid_label(label)
    try:
        opinion = _locked_opinion(article_id, position, user, expected_version)
    except StaleOpinion as stale:
        if stale.opinion.label == label:
            return stale.opinion
        raise
    if opinion.label != label:
        opinion.label, opinion.labeled_at = label, timezone.now()
        opinion.version += 1
        opinion.save(update_fields=["label", "labeled_at", "version"])
    return opinion


@transaction.atomic
def set_second_note(
    *,
    article_id: int,
    position: int,
    note: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> SecondOpinion:
    """The second reviewer's note on one paragraph; raises like set_second_label."""
    opinion = _locked_opinion(article_id, position, user, expected_version)
    note = note.strip()
    if opinion.note != note:
        opinion.note = note
        opinion.version += 1
        opinion.save(update_fields=["note", "version"])
    return opinion


# Adds to a tally cell, or makes it: concurrent submissions add up (both databases).
_ADD_TO_TALLY = """INSERT INTO {table}
    (source, first_user_id, second_user_id, first_label, second_label, paragraphs)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT (source, first_user_id, second_user_id, first_label, second_label)
    DO UPDATE SET paragraphs = {table}.paragraphs + excluded.paragraphs"""


@transaction.atomic
def finish_second_review(*, article_id: int, user: AbstractBaseUser) -> SecondReview:
    """Submit the second review: take the paragraphs' current labels as the first opinions,
    compare, and add the pairs to the agreement tally (AgreementTally).

    A paragraph is compared when both opinions are labels and the first is someone else's.
    Raises SecondReview.DoesNotExist, NotYours, SecondReviewClosed and NotFinished.
    """
    review = (
        SecondReview.objects.select_for_update()
        .select_related("article")
        .get(article_id=article_id)
    )
    if review.reviewer_id != user.pk:
        raise NotYours("This second review is someone else's.")
    if review.finished_at is not None:
        raise SecondReviewClosed("This second review was submitted already.")
    opinions = list(
        review.opinions.select_for_update(of=("self",))
        .filter(paragraph__isnull=False)
        .select_related("paragraph")
    )
    missing = sum(1 for opinion in opinions if not opinion.label)
    if missing:
        raise NotFinished(
            f"{missing} paragraph{'s' * (missing != 1)} still need{'s' * (missing == 1)} "
            "your label."
        )
    cells: dict[tuple[int, str, str], int] = {}
    for opinion in opinions:
        if (
            opinion.paragraph is None
        ):  # deleted by a revision (follow_revision drops these)
            continue
        first, first_by = opinion.paragraph.label, opinion.paragraph.labeled_by_id
        opinion.first_label, opinion.first_by_id = first, first_by
        opinion.position = opinion.paragraph.position
        if first and first_by is not None and first_by != user.pk:
            key = (first_by, first, opinion.label)
            cells[key] = cells.get(key, 0) + 1
    SecondOpinion.objects.bulk_update(opinions, ["first_label", "first_by", "position"])
    review.compared = sum(cells.values())
    review.agreed = sum(n for (_, a, b), n in cells.items() if a == b)
    review.finished_at = timezone.now()
    review.save(update_fields=["compared", "agreed", "finished_at"])
    connection = connections[router.db_for_write(AgreementTally)]
    sql = _ADD_TO_TALLY.format(table=AgreementTally._meta.db_table)
    with connection.cursor() as cursor:
        for (first_by, first, second), n in sorted(cells.items()):
            cursor.execute(
                sql, [review.article.source, first_by, user.pk, first, second, n]
            )
    return review


def follow_revision(*, article_id: int) -> None:
    """A new revision of an article whose second review is still open: the blind reviewer
    labels what the article says now. Opinions of deleted paragraphs go, those of edited
    paragraphs start again (their label was of other text), added paragraphs get one. A
    submitted review is history and stays as it was (its deleted paragraphs' opinions keep
    their labels, detached). Runs inside the revision's transaction."""
    review = (
        SecondReview.objects.select_for_update()
        .filter(article_id=article_id, finished_at__isnull=True)
        .first()
    )
    if review is None:
        return
    # The round is about what the article says now (a later round needs a later change).
    SecondReview.objects.filter(pk=review.pk).update(
        content_hash=Subquery(
            Article.objects.filter(pk=article_id).values("content_hash")[:1]
        )
    )
    review.opinions.filter(paragraph__isnull=True).delete()
    review.opinions.filter(paragraph__change=Change.EDITED).update(
        label="", note="", labeled_at=None, version=F("version") + 1
    )
    missing = Paragraph.objects.filter(article_id=article_id).exclude(
        Exists(SecondOpinion.objects.filter(paragraph=OuterRef("pk")))
    )
    SecondOpinion.objects.bulk_create(
        SecondOpinion(
            review=review, paragraph_id=pk, article_id=article_id, position=position
        )
        for pk, position in missing.values_list("pk", "position")
    )
