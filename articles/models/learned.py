"""The learned boilerplate model's trained versions and the suggestion settings a Lead keeps."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class LearnedModel(models.Model):
    """One trained version of the boilerplate model; the newest is the one in use.

    `coefficients` is articles.boilerplate.model.Model.as_json(): the weights the web process
    scores with, without scikit-learn (docs/boilerplate.md).
    """

    class Trigger(models.TextChoices):
        COMMAND = "command", "manage.py train_boilerplate"
        LABELS = "labels", "Labels accrued (background)"

    created_at = models.DateTimeField(auto_now_add=True)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    examples = models.PositiveIntegerField(
        help_text="Labeled paragraphs it learned from."
    )
    boilerplate = models.PositiveIntegerField(help_text="Of which labeled boilerplate.")
    sources = models.PositiveIntegerField(
        default=0, help_text="Sources with a model of their own."
    )
    precision = models.FloatField(
        null=True, blank=True, help_text="Cross-validated, at the model's cutoff."
    )
    recall = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(help_text="How long training took.")
    last_event_id = models.BigIntegerField(
        default=0,
        help_text="The newest label event it saw: retraining counts from here.",
    )
    coefficients = models.JSONField()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"boilerplate model {self.pk} ({self.examples:,} labels)"


class SuggestionSettings(models.Model):
    """The one row of suggestion settings (pk 1): what a Lead sets on the Boilerplate page, and
    the guard that lets one background training run at a time."""

    accept_threshold = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Shift+A accepts suggestions with at least this confidence (percent).",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    training_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A training run started then and has not ended.",
    )

    class Meta:
        verbose_name_plural = "suggestion settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(accept_threshold__lte=100),
                name="suggestion_threshold_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"accept suggestions at {self.accept_threshold}% or more"

    @classmethod
    def current(cls) -> "SuggestionSettings":
        """The settings row, created with the defaults the first time."""
        row, _ = cls.objects.get_or_create(pk=1)
        return row
