"""Revisions of an article that changed after it was imported (articles.revisions).

articles_paragraph holds only an article's current revision, so every reader (queue, review,
exports, search, boilerplate repetition, counts) sees the current text and nothing else. When a
re-import writes revision N + 1, the N paragraphs as they were (text, label, note, who, when)
are copied here first: ParagraphSnapshot rows are what "open revision N" shows, read-only.
ArticleRevision is the one audit entry per revision: what changed, in counts and in words.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models.article import Article
from articles.models.import_run import ImportRun
from articles.models.paragraph import Change, Paragraph
from articles.models.status import Label


class ArticleRevision(models.Model):
    """Revision `number` (≥ 2) of an article: when and by which import it came, what it changed
    against revision `number - 1`, and that revision's title and url (its paragraphs are the
    ParagraphSnapshot rows with revision `number - 1`)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    import_run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    file = models.CharField(max_length=1000, blank=True)
    unchanged = models.PositiveIntegerField(default=0)
    links_changed = models.PositiveIntegerField(default=0)
    edited = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    # "revision 2: 25 unchanged, 2 edited, 1 added, 1 deleted; removed an unverified claim: …"
    summary = models.TextField()
    previous_title = models.CharField(max_length=500)
    previous_url = models.URLField(max_length=2000, blank=True)
    # The LabelEvents this revision wrote (carried and cleared labels) share this batch.
    batch = models.UUIDField(db_index=True)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="article_revision_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=2), name="article_revision_from_2"
            ),
        ]

    def __str__(self) -> str:
        return self.summary


class ParagraphSnapshot(models.Model):
    """One paragraph of an earlier revision of an article, as it was when the next revision
    came: never changed afterwards."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="paragraph_snapshots"
    )
    revision = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    # The current paragraph this one became (unchanged, links changed or edited); null when
    # the next revision deleted it.
    paragraph = models.ForeignKey(
        Paragraph,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="snapshots",
    )
    html = models.TextField()
    text = models.TextField()
    text_hash = models.CharField(max_length=32)
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
    change = models.CharField(
        max_length=13, choices=Change.choices, blank=True, default=""
    )
    # What the next revision did to it: unchanged, links_changed, edited or deleted.
    fate = models.CharField(max_length=13, blank=True, default="")

    class Meta:
        ordering = ["article", "revision", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "revision", "position"],
                name="paragraph_snapshot_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article.external_id} r{self.revision} ¶{self.position}"
