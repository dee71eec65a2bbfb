"""The review status rule, in one place: labels, the counters, the status they imply.

An article's status is never typed in; it follows from its counts (DESIGN.md invariant 2):
nothing labeled → unreviewed, some → in progress, every paragraph → reviewed, and reviewed with
a Lead's standing sign-off (Article.signed_off, articles.quality) → signed off. Any label change
withdraws the sign-off. The rule is written here three ways that must agree, side by side:
- derive_status(): in Python, for articles built in memory;
- STATUS_MATCHES_COUNTS: the CHECK constraint, so the database refuses any other status;
- update_counts(): the one UPDATE every label writer runs, which changes the counters relative
  to the stored values and sets the status they imply in the same statement.
"""

from django.db import connection, models
from django.db.models import F, Q
from django.dispatch import Signal


class ReviewStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    IN_PROGRESS = "in_progress", "In progress"
    REVIEWED = "reviewed", "Reviewed"
    SIGNED_OFF = "signed_off", "Signed off"


class Label(models.TextChoices):
    VERIFIED = "verified", "Verified"
    UNVERIFIED = "unverified", "Unverified"
    BOILERPLATE = "boilerplate", "Boilerplate"


# The Article counter that holds the number of paragraphs with each label.
COUNT_FIELD = {
    Label.VERIFIED: "verified_count",
    Label.UNVERIFIED: "unverified_count",
    Label.BOILERPLATE: "boilerplate_count",
}


def derive_status(*, labeled: int, total: int, signed_off: bool = False) -> str:
    """The review status that `labeled` of `total` labeled paragraphs imply, and a standing
    sign-off (which only a fully labeled article can have)."""
    if labeled == 0:
        return ReviewStatus.UNREVIEWED
    if labeled >= total:
        return ReviewStatus.SIGNED_OFF if signed_off else ReviewStatus.REVIEWED
    return ReviewStatus.IN_PROGRESS


def valid_label(label: str) -> str:
    """The label, or ValueError naming the allowed values; "" means unlabeled."""
    if label == "" or label in Label.values:
        return label
    allowed = ", ".join(Label.values)
    raise ValueError(
        f"Unknown label {label!r}: use one of {allowed}, or empty to clear."
    )


_LABELED = F("verified_count") + F("unverified_count") + F("boilerplate_count")
_NOTHING_LABELED = Q(verified_count=0, unverified_count=0, boilerplate_count=0)

LABELED_LTE_PARAGRAPHS = models.CheckConstraint(
    condition=Q(paragraph_count__gte=_LABELED),
    name="article_labeled_lte_paragraphs",
)
_SIGNED_OFF = Q(signed_off__isnull=False)
STATUS_MATCHES_COUNTS = models.CheckConstraint(
    condition=(
        (Q(status=ReviewStatus.UNREVIEWED) & _NOTHING_LABELED & ~_SIGNED_OFF)
        | (
            Q(status=ReviewStatus.REVIEWED)
            & ~_NOTHING_LABELED
            & Q(paragraph_count=_LABELED)
            & ~_SIGNED_OFF
        )
        | (
            Q(status=ReviewStatus.SIGNED_OFF)
            & ~_NOTHING_LABELED
            & Q(paragraph_count=_LABELED)
            & _SIGNED_OFF
        )
        | (
            Q(status=ReviewStatus.IN_PROGRESS)
            & ~_NOTHING_LABELED
            & Q(paragraph_count__gt=_LABELED)
            & ~_SIGNED_OFF
        )
    ),
    name="article_status_matches_counts",
)


def count_changes(changes: list[tuple[str, str]]) -> dict[str, int]:
    """Net change of each counter for (old, new) label pairs, zeros left out."""
    delta = dict.fromkeys(COUNT_FIELD.values(), 0)
    for old, new in changes:
        if old:
            delta[COUNT_FIELD[Label(old)]] -= 1
        if new:
            delta[COUNT_FIELD[Label(new)]] += 1
    return {field: n for field, n in delta.items() if n}


# Constant SQL but for the number of ids, every value bound. The same UPDATE written with F()
# and a Case expression cost 1.3 ms to compile on every label POST, a quarter of the request
# (profiled; label POST 2.1 ms against a 3 ms target, docs/benchmarks.md); this costs 0.04 ms.
# The CASE says what derive_status() says; STATUS_MATCHES_COUNTS refuses any row where they
# would disagree. A label change withdraws a standing sign-off (signed_off_id = NULL): the
# trigger articles.triggers.SIGN_OFF_* writes who and when into the sign-off's row, the audit.
_UPDATE_COUNTS = """UPDATE articles_article SET
    verified_count = verified_count + %s,
    unverified_count = unverified_count + %s,
    boilerplate_count = boilerplate_count + %s,
    status = CASE
        WHEN verified_count + unverified_count + boilerplate_count + %s = 0 THEN %s
        WHEN verified_count + unverified_count + boilerplate_count + %s >= paragraph_count
        THEN %s ELSE %s END,
    signed_off_id = NULL,
    last_reviewed_by_id = %s,
    last_reviewed_at = %s
    WHERE id IN ({ids}) RETURNING id, status"""

# Sent by update_counts() when labels complete articles (inside the labeling transaction):
# sender=None, article_ids=[ids now reviewed that were not], user=<the labeler>. Webhooks
# announce it (articles.webhooks); nothing listens unless a feature connects.
articles_reviewed = Signal()


def update_counts(*, article_ids: list[int], delta: dict[str, int], user, now) -> None:
    """Apply the same counter changes and the derived status to the articles in ONE UPDATE,
    relative to the stored values (SQL reads a row's old values on the right of every SET, so
    concurrent writers add up and never lose an increment). A label change undoes a sign-off."""
    change = sum(delta.values())
    with connection.cursor() as cursor:
        # RETURNING: which articles the UPDATE left reviewed, at no extra statement.
        cursor.execute(
            _UPDATE_COUNTS.format(ids=", ".join(["%s"] * len(article_ids))),
            [
                delta.get("verified_count", 0),
                delta.get("unverified_count", 0),
                delta.get("boilerplate_count", 0),
                change,
                ReviewStatus.UNREVIEWED,
                change,
                ReviewStatus.REVIEWED,
                ReviewStatus.IN_PROGRESS,
                user.pk,
                connection.ops.adapt_datetimefield_value(now),
                *article_ids,
            ],
        )
        rows = cursor.fetchall()
    # More labels than before and now reviewed: every paragraph has just become labeled (a
    # changed label on a reviewed article adds none, and announces nothing).
    if change > 0:
        done = [pk for pk, status in rows if status == ReviewStatus.REVIEWED]
        if done:
            articles_reviewed.send(sender=None, article_ids=done, user=user)


def apply_counts(article, delta: dict[str, int]) -> None:
    """What update_counts() did to the row, done to an Article in memory."""
    for field, n in delta.items():
        setattr(article, field, getattr(article, field) + n)
    article.signed_off_id = None
    article.status = derive_status(
        labeled=article.labeled_count, total=article.paragraph_count
    )
