"""Article: one imported news article, its denormalised counts and review status; ArticleTally."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from articles.models.import_run import ImportRun
from articles.models.status import (
    LABELED_LTE_PARAGRAPHS,
    STATUS_MATCHES_COUNTS,
    ReviewStatus,
)


class ArticleQuerySet(models.QuerySet):
    """Reads every feature shares. The queue's own (filters, facets, sorts) are in
    articles.queue.queries, the exports' in articles.exports."""

    def for_review(self) -> "ArticleQuerySet":
        """The review page's article with its assignee and second review (articles.quality:
        whether the person looking is its blind reviewer) joined in.

        Its standing sign-off and open return are read only when it has one
        (articles.quality.panel): five joins for every page cost 5% of it (profiled)."""
        return self.select_related("assigned_to", "second_review")

    def assign_to(self, assignee) -> int:
        """Assign these articles to `assignee` (None unassigns) in one UPDATE; how many."""
        return self.update(assigned_to=assignee)

    def needing_review(self) -> "ArticleQuerySet":
        return self.exclude(status__in=[ReviewStatus.REVIEWED, ReviewStatus.SIGNED_OFF])

    def is_blind_to(self, pk: int, user) -> bool:
        """Whether `user` is second-reviewing article `pk` blind right now (one query)."""
        return self.filter(pk=pk).blind_to(user).exists()

    def blind_to(self, user) -> "ArticleQuerySet":
        """Articles `user` is second-reviewing right now: they must not see the first labels,
        the first reviewer's name or notes (articles.quality)."""
        return self.filter(
            second_review__reviewer=user, second_review__finished_at__isnull=True
        )

    # The queue's default order is newest import first, then highest id (Meta.ordering);
    # "next" walks down that order from `article`, "previous" walks back up it.
    def after_in_queue(self, article) -> "ArticleQuerySet":
        """Articles after `article` in the queue's default order, nearest first."""
        return self.filter(
            models.Q(imported_at__lt=article.imported_at)
            | models.Q(imported_at=article.imported_at, pk__lt=article.pk)
        ).order_by("-imported_at", "-id")

    def before_in_queue(self, article) -> "ArticleQuerySet":
        """Articles before `article` in the queue's default order, nearest first."""
        return self.filter(
            models.Q(imported_at__gt=article.imported_at)
            | models.Q(imported_at=article.imported_at, pk__gt=article.pk)
        ).order_by("imported_at", "id")


class Article(models.Model):
    external_id = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=500)
    source = models.CharField(
        max_length=253, blank=True, help_text="The site's domain."
    )
    url = models.URLField(max_length=2000, blank=True)
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the imported paragraphs."
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    import_run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    status = models.CharField(
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.UNREVIEWED,
        editable=False,
    )
    paragraph_count = models.PositiveIntegerField(default=0, editable=False)
    verified_count = models.PositiveIntegerField(default=0, editable=False)
    unverified_count = models.PositiveIntegerField(default=0, editable=False)
    boilerplate_count = models.PositiveIntegerField(default=0, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_articles",
    )
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Revisions (articles.revisions): the number of the revision the paragraphs hold (1 for a
    # first import), when a re-import last wrote one, and the fingerprint of the paragraphs'
    # cleaned content (sanitize.article_fingerprint) that tells a real change from a cosmetic
    # one; "" for articles imported before revisions, computed on their first re-import.
    revision = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    revised_at = models.DateTimeField(null=True, blank=True, editable=False)
    fingerprint = models.CharField(
        max_length=64, blank=True, default="", db_default="", editable=False
    )
    # Quality control (articles.quality): the Lead's standing sign-off, set only with status
    # "signed_off" (STATUS_MATCHES_COUNTS), and the open return of the article to its reviewer.
    signed_off = models.ForeignKey(
        "articles.SignOff",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    returned = models.ForeignKey(
        "articles.SignOff",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-id"]
        permissions = [
            ("label_article", "Can label paragraphs and edit notes"),
            ("export_article", "Can export review data as CSV"),
            ("import_article", "Can import articles"),
            ("assign_article", "Can assign articles to reviewers"),
            ("reset_article", "Can reset an article's labels"),
            (
                "propagate_article",
                "Can apply a label to a source's identical paragraphs, and undo it",
            ),
            ("signoff_article", "Can sign off reviewed articles or return them"),
            (
                "second_review_article",
                "Can send articles to a second review and see agreement",
            ),
            (
                "adjudicate_article",
                "Can see both opinions of a second review and settle them",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "-imported_at"], name="article_status_imported"
            ),
            models.Index(
                fields=["source", "-imported_at"], name="article_source_imported"
            ),
            models.Index(fields=["-imported_at", "-id"], name="article_imported"),
            models.Index(
                fields=["assigned_to", "status"], name="article_assigned_status"
            ),
            # CSV exports page through a filtered set by id (keyset); these keep every batch an
            # index range instead of a re-sort of all matching rows.
            models.Index(fields=["status", "id"], name="article_status_id"),
            models.Index(fields=["source", "id"], name="article_source_id"),
        ]
        constraints = [LABELED_LTE_PARAGRAPHS, STATUS_MATCHES_COUNTS]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])

    @property
    def labeled_count(self) -> int:
        return self.verified_count + self.unverified_count + self.boilerplate_count

    @property
    def unlabeled_count(self) -> int:
        return self.paragraph_count - self.labeled_count

    @property
    def progress_percent(self) -> int:
        """Share of labeled paragraphs, rounded down so 100 means really done."""
        if not self.paragraph_count:
            return 0
        return self.labeled_count * 100 // self.paragraph_count


class ArticleTally(models.Model):
    """How many articles one source has in one status: the queue's totals without a count.

    Kept exact by database triggers on articles_article (articles.triggers), so every writer
    (importer, label writes, reset, propagation, admin, raw SQL) keeps it right.
    """

    source = models.CharField(max_length=253)
    status = models.CharField(max_length=12, choices=ReviewStatus.choices)
    articles = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "status"], name="article_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.status}: {self.articles}"
