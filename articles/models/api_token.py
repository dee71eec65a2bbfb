"""ApiToken: a personal token for the HTTP API (articles.api), acting with its user's role.

Only a SHA-256 digest of the token is stored; the token itself is shown once, when it is made.
A token is long and random (256 bits), so a plain digest is enough (no salt or slow hash: there
is no dictionary to try against it) and lets a request find its token with one indexed lookup.
The prefix (the first characters) is kept to tell a user's tokens apart on their page.
"""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=16, help_text="The token's first characters.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The rate limit's fixed window (articles.api.auth): the minute it counts and its requests.
    window_start = models.BigIntegerField(default=0, editable=False)
    window_requests = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
