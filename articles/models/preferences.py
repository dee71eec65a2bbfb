"""A reviewer's own settings for the review page (issue 13)."""

from django.conf import settings
from django.db import models


class ReviewerPreferences(models.Model):
    """One row per user who changed a setting; without one, the defaults apply."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_preferences",
    )
    # WCAG 2.1.4 (character key shortcuts): a user of speech input or a screen reader's
    # browse keys can switch the single-letter keys off; the toolbar's buttons still work.
    single_key_shortcuts = models.BooleanField(
        default=True,
        help_text="Single-letter keys (v, u, b, x, j, k, …) act on the review page.",
    )

    class Meta:
        verbose_name_plural = "reviewer preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"

    @classmethod
    def shortcuts_on(cls, user) -> bool:
        value = (
            cls.objects.filter(user_id=user.pk)
            .values_list("single_key_shortcuts", flat=True)
            .first()
        )
        return True if value is None else value
