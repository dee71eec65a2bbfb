"""Paragraph: one paragraph of an article with its label; LabelEvent: the audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models.article import Article
from articles.models.status import Label


class Change(models.TextChoices):
    """What a re-import did to a paragraph (articles.revisions); "" in an article's first
    revision."""

    UNCHANGED = "unchanged", "Unchanged"
    LINKS_CHANGED = "links_changed", "Links changed"
    EDITED = "edited", "Edited"
    ADDED = "added", "Added"


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
    # Boilerplate signals read at import (articles.boilerplate.signals.static_signals).
    link_share = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Percent of the text that is link text."
    )
    cues = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text="Copyright (1) and call-to-action (2) flags.",
    )

    # Set by a revision import (articles.revisions): how this paragraph came to be in the
    # article's current revision, and for an edited one the label of the text it replaced.
    change = models.CharField(
        max_length=13, choices=Change.choices, blank=True, default="", db_default=""
    )
    previous_label = models.CharField(
        max_length=12, choices=Label.choices, blank=True, default="", db_default=""
    )

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
        CARRIED = "carried", "Carried over to a new revision"
        REVISION = "revision", "Cleared by a new revision"
        PREVIOUS = "previous", "Confirmed the previous revision's label"
        MERGED = "merged", "Merged from a duplicate article"
        ADJUDICATION = "adjudication", "Adjudication of a second review"

    # A paragraph a revision import deleted leaves the current revision (its text and label stay
    # in ParagraphSnapshot); its events stay, with the article, and lose only this link.
    paragraph = models.ForeignKey(
        Paragraph,
        null=True,
        on_delete=models.SET_NULL,
        related_name="events",
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
            # A reviewer's previous hand labels, for the dashboard's pace (articles.rollup_triggers):
            # the triggers' WHERE repeats this condition word for word, so both databases
            # use it.
            models.Index(
                fields=["user", "created_at", "id"],
                name="event_user_hand",
                condition=Q(field="label", method__in=["click", "keyboard"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value or '—'} → {self.new_value or '—'}"
