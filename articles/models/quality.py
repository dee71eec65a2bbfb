"""Quality control's records: a Lead's decisions on an article (SignOff), the blind second
review (SecondReview, one SecondOpinion per paragraph) and the agreement tally.

The writes are in articles.quality; the status rule that a standing sign-off is part of is in
articles.models.status.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models.article import Article
from articles.models.paragraph import Paragraph
from articles.models.status import Label


class SignOff(models.Model):
    """One Lead decision on a reviewed article: signed off, or returned with a reason.

    Append-only: a sign-off that stops standing (a label changed, a new revision, a return) is
    not deleted but gets withdrawn_at/by/reason, so the record says who signed which content
    when, and what undid it. The article points at its standing sign-off (Article.signed_off)
    and at its open return (Article.returned).
    """

    class Decision(models.TextChoices):
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Returned"

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="sign_offs"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    # Which content was decided on: the article's content_hash then.
    content_hash = models.CharField(max_length=64)
    # Why it was returned; for a sign-off over unsettled disagreements, why the Lead overrode.
    reason = models.TextField(blank=True, default="", help_text="Why it was returned.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_reason = models.CharField(max_length=200, blank=True, default="")
    # A sign-off made while the article's second review had disagreements not settled: how
    # many (the Lead said why in `reason`); 0 for an ordinary sign-off.
    unsettled = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["article", "-at"], name="signoff_article_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["signed_off", "returned"]),
                name="signoff_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class SecondReview(models.Model):
    """One round of a Lead's request that `reviewer` label an article again, blind.

    An article has any number of rounds, one after the other: a new one may start once the
    last is submitted and the article changed since (a new revision, or a Lead returned it;
    articles.quality.second.eligible). `article` points at the article while this is its
    current round (so `article.second_review` and every `second_review__…` lookup mean the
    current round) and is NULL once a later round replaced it; `of_article` always does.
    content_hash is the content the round is about (kept up to date while it is open).
    finished_at is set when the second reviewer submits; compared/agreed are the paragraphs
    whose two opinions were compared then, and how many of them agreed.
    """

    article = models.OneToOneField(
        Article,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_review",
    )
    of_article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="second_review_rounds"
    )
    round = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=64, blank=True, default="")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    compared = models.PositiveIntegerField(default=0)
    agreed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["reviewer", "finished_at"], name="second_review_reviewer"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed__lte=models.F("compared")),
                name="second_review_agreed_lte_compared",
            ),
            models.UniqueConstraint(
                fields=["of_article", "round"], name="second_review_round_unique"
            ),
            # The current round is of its own article; a replaced round was submitted first.
            models.CheckConstraint(
                condition=Q(article__isnull=True, finished_at__isnull=False)
                | Q(article__isnull=False, article=models.F("of_article")),
                name="second_review_current_is_own",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Second review of {self.of_article_id} (round {self.round}) "
            f"by {self.reviewer}"
        )

    @property
    def agreement_percent(self) -> float | None:
        if not self.finished_at or not self.compared:
            return None
        return self.agreed * 100 / self.compared


class SecondOpinion(models.Model):
    """The second reviewer's label and note on one paragraph, beside the first opinion.

    first_label/first_by are the paragraph's label and labeler when the second review was
    submitted: the opinions compared, kept although an adjudication later changes the
    paragraph's label. adjudicated_* say how a Lead settled a disagreement.
    """

    review = models.ForeignKey(
        SecondReview, on_delete=models.PROTECT, related_name="opinions"
    )
    # NULL once a new revision of the article deleted the paragraph (articles.revisions): a
    # submitted review keeps the opinion for its history and agreement; an open one drops it
    # (articles.quality.second.follow_revision). NULL too once a later round of second review
    # started: `paragraph.second_opinion` is the current round's; `position` says which
    # paragraph an earlier round's opinion was about.
    paragraph = models.OneToOneField(
        Paragraph,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="second_opinion",
    )
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    # The paragraph's position when the round was sent, and again when it was submitted.
    position = models.PositiveIntegerField(null=True, blank=True)
    label = models.CharField(
        max_length=12, choices=Label.choices, blank=True, default=""
    )
    note = models.TextField(blank=True, default="")
    labeled_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change; a POST that carries an older version is refused (409).
    version = models.PositiveIntegerField(default=0)
    first_label = models.CharField(
        max_length=12, choices=Label.choices, blank=True, default=""
    )
    first_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adjudicated_label = models.CharField(
        max_length=12, choices=Label.choices, blank=True, default=""
    )
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adjudicated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "paragraph"]
        indexes = [
            models.Index(fields=["article"], name="second_opinion_article"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(label__in=["", *Label.values])
                & Q(first_label__in=["", *Label.values])
                & Q(adjudicated_label__in=["", *Label.values]),
                name="second_opinion_labels_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Second opinion on {self.paragraph_id}: {self.label or '—'}"

    @property
    def disagrees(self) -> bool:
        return bool(self.first_label and self.label and self.first_label != self.label)


class AgreementTally(models.Model):
    """How many compared paragraphs of one source had first label X and second label Y, per
    (first reviewer, second reviewer): the agreement page's input, a few hundred rows instead
    of every opinion (docs/benchmarks.md). Added to when a second review is submitted."""

    source = models.CharField(max_length=253)
    first_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    second_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_label = models.CharField(max_length=12, choices=Label.choices)
    second_label = models.CharField(max_length=12, choices=Label.choices)
    paragraphs = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "source",
                    "first_user",
                    "second_user",
                    "first_label",
                    "second_label",
                ],
                name="agreement_tally_unique",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.source} {self.first_label}/{self.second_label}: {self.paragraphs}"
        )
