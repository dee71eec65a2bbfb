"""How often a paragraph text repeats in its source, and labels applied across a source."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models.paragraph import Paragraph
from articles.models.status import Label


class RepeatedTextQuerySet(models.QuerySet):
    def most_repeated(self, *, source: str = "") -> "RepeatedTextQuerySet":
        """Texts in at least two articles, most repeated first, with a sample text and the
        user who last labeled them boilerplate, in ONE query (the Boilerplate page's list)."""
        qs = self.filter(article_count__gte=2).exclude(text_hash="")
        if source:
            qs = qs.filter(source=source)
        sample = Paragraph.objects.filter(
            text_hash=models.OuterRef("text_hash"),
            article__source=models.OuterRef("source"),
        ).order_by()
        return (
            qs.select_related("last_labeled_by")
            .annotate(sample=models.Subquery(sample.values("text")[:1]))
            .order_by("-article_count", "source", "text_hash")
        )

    def sources(self) -> "RepeatedTextQuerySet":
        """(source, articles) of every source, by name: the source rows (text_hash "")."""
        return (
            self.filter(text_hash="")
            .order_by("source")
            .values_list("source", "article_count")
        )

    def for_texts(self, *, source: str, text_hashes) -> dict[str, tuple]:
        """{text_hash: (article_count, boilerplate_labels, last labeler's username)} of these
        texts in `source`, and under "" the source's own row (its article count): what a
        suggestion needs besides the paragraph's own signals, in ONE query."""
        rows = self.filter(source=source, text_hash__in={*text_hashes, ""}).values_list(
            "text_hash",
            "article_count",
            "boilerplate_labels",
            "last_labeled_by__username",
        )
        return {text_hash: rest for text_hash, *rest in rows}


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
