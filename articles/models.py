"""The review data: articles, their paragraphs, the audit trail of label changes, import runs.

Invariants (DESIGN.md), enforced here by database constraints where the database can:
1. An article's counts equal its paragraphs' labels (services change both in one transaction).
2. The status is derived from the counts: a CHECK constraint refuses any other combination.
3. Every label or note change writes one LabelEvent; events are never edited or deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from articles.querysets import (
    ArticleQuerySet,
    ParagraphQuerySet,
    RepeatedTextQuerySet,
)


class ReviewStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    IN_PROGRESS = "in_progress", "In progress"
    REVIEWED = "reviewed", "Reviewed"


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


def derive_status(*, labeled: int, total: int) -> str:
    """The review status that `labeled` of `total` labeled paragraphs imply."""
    if labeled == 0:
        return ReviewStatus.UNREVIEWED
    if labeled >= total:
        return ReviewStatus.REVIEWED
    return ReviewStatus.IN_PROGRESS


class ImportRun(models.Model):
    class Origin(models.TextChoices):
        COMMAND = "command", "Command line"
        UPLOAD = "upload", "Upload"

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.COMMAND
    )
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    files_seen = models.PositiveIntegerField(default=0)
    articles_created = models.PositiveIntegerField(default=0)
    paragraphs_created = models.PositiveIntegerField(default=0)
    articles_unchanged = models.PositiveIntegerField(default=0)
    articles_failed = models.PositiveIntegerField(default=0)
    empty_paragraphs_dropped = models.PositiveIntegerField(default=0)
    # One entry per failure: {"file": "batch/a.txt", "reason": "not a list of strings"}
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.get_origin_display()})"


_LABELED = F("verified_count") + F("unverified_count") + F("boilerplate_count")
_NOTHING_LABELED = Q(verified_count=0, unverified_count=0, boilerplate_count=0)


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
        constraints = [
            models.CheckConstraint(
                condition=Q(paragraph_count__gte=_LABELED),
                name="article_labeled_lte_paragraphs",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(status=ReviewStatus.UNREVIEWED) & _NOTHING_LABELED)
                    | (
                        Q(status=ReviewStatus.REVIEWED)
                        & ~_NOTHING_LABELED
                        & Q(paragraph_count=_LABELED)
                    )
                    | (
                        Q(status=ReviewStatus.IN_PROGRESS)
                        & ~_NOTHING_LABELED
                        & Q(paragraph_count__gt=_LABELED)
                    )
                ),
                name="article_status_matches_counts",
            ),
        ]

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

    Kept exact by database triggers on articles_article (articles.tallies), so every writer
    (importer, label services, reset, propagation, admin, raw SQL) keeps it right.
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


class Paragraph(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="paragraphs"
    )
    position = models.PositiveIntegerField(help_text="1 for the first paragraph.")
    html = models.TextField(
        help_text="Sanitised at import; the only HTML ever rendered unescaped."
    )
    text = models.TextField()
    text_hash = models.CharField(
        max_length=32, help_text="Hash of the normalised text."
    )
    label = models.CharField(
        max_length=12, choices=Label.choices, blank=True, default=""
    )
    labeled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    labeled_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    # Bumped on every label or note change; a POST that carries an older version is refused.
    version = models.PositiveIntegerField(default=0)
    # Boilerplate signals read at import (articles.boilerplate.static_signals).
    link_share = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Percent of the text that is link text."
    )
    cues = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text="Copyright (1) and call-to-action (2) flags.",
    )

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        indexes = [
            models.Index(fields=["text_hash"], name="paragraph_text_hash"),
            models.Index(fields=["label"], name="paragraph_label"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="paragraph_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="paragraph_position_from_1"
            ),
            models.CheckConstraint(
                condition=Q(label__in=["", *Label.values]), name="paragraph_label_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article.external_id} ¶{self.position}"


class LabelEvent(models.Model):
    """Append-only audit row for every label or note change. Never edited or deleted."""

    class Field(models.TextChoices):
        LABEL = "label", "Label"
        NOTE = "note", "Note"

    class Method(models.TextChoices):
        CLICK = "click", "Click"
        KEYBOARD = "keyboard", "Keyboard"
        BULK = "bulk", "Bulk (rest as boilerplate)"
        SUGGESTION = "suggestion", "Accepted suggestion"
        PROPAGATION = "propagation", "Applied across the corpus"
        RESET = "reset", "Article reset"
        UNDO = "undo", "Undo"
        ADMIN = "admin", "Admin"

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, related_name="events"
    )
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="label_events",
    )
    field = models.CharField(max_length=5, choices=Field.choices, default=Field.LABEL)
    old_value = models.TextField(blank=True, default="")
    new_value = models.TextField(blank=True, default="")
    method = models.CharField(
        max_length=12, choices=Method.choices, default=Method.CLICK
    )
    # Groups the events of one bulk action so it can be undone as one step.
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["article", "-created_at"], name="event_article_recent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value or '—'} → {self.new_value or '—'}"


class RepeatedText(models.Model):
    """How often one normalised paragraph text occurs in one source, kept current incrementally.

    The importer adds each batch's counts with one upsert per chunk of texts; the label services
    add people's decisions. The row with text_hash "" counts the source's articles.
    """

    source = models.CharField(max_length=253)
    text_hash = models.CharField(max_length=32, blank=True)
    article_count = models.PositiveIntegerField(default=0)
    paragraph_count = models.PositiveIntegerField(default=0)
    # Paragraphs with this text that people labeled boilerplate (any method but import).
    boilerplate_labels = models.IntegerField(default=0)
    last_labeled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RepeatedTextQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "text_hash"], name="repeated_text_unique"
            ),
        ]
        # Partial: most texts occur once, and only repeated ones are listed, so the rows of
        # unique texts never enter these indexes (measured: the import's upsert costs a third
        # less than with full indexes).
        indexes = [
            models.Index(
                fields=["source", "-article_count"],
                name="repeated_text_source_count",
                condition=Q(article_count__gte=2),
            ),
            models.Index(
                fields=["-article_count"],
                name="repeated_text_count",
                condition=Q(article_count__gte=2),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.text_hash}: {self.article_count} articles"


class Propagation(models.Model):
    """One "apply across the corpus" action: its LabelEvents share `batch`; undone as one step."""

    batch = models.UUIDField(unique=True)
    source = models.CharField(max_length=253)
    text_hash = models.CharField(max_length=32)
    label = models.CharField(max_length=12, choices=Label.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    paragraphs = models.PositiveIntegerField(default=0)
    articles = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_paragraphs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} on {self.paragraphs} paragraphs of {self.source}"
