"""Webhook: a URL a Lead registered for some events; WebhookDelivery: each event sent to it,
with its attempts and outcome. articles.webhooks sends them (signed, retried from the job
system); the event names are here so that every feature refers to the same strings."""

from django.conf import settings
from django.db import models


class WebhookEvent(models.TextChoices):
    ARTICLE_REVIEWED = "article.reviewed", "Article reviewed (every paragraph labeled)"
    ARTICLE_SIGNED_OFF = "article.signed_off", "Article signed off"
    ARTICLE_REVISED = "article.revised", "Article revised (a new revision imported)"
    IMPORT_FINISHED = "import.finished", "Import finished or stopped"


class Webhook(models.Model):
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list, help_text="WebhookEvent values.")
    # The key of the deliveries' HMAC-SHA256 signature; the receiver holds a copy.
    secret = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook.url}"
