"""Personal API tokens: made, found by a request, revoked.

A token reads `nr_` and 43 URL-safe characters (32 random bytes). Only its SHA-256 digest is
stored (articles.models.ApiToken says why a plain digest is enough); its first characters are
kept to tell a user's tokens apart.
"""

import hashlib
import secrets

from django.utils import timezone

from articles.models import ApiToken

PREFIX = "nr_"
SHOWN_CHARACTERS = 10  # of the token, kept to recognise it on the tokens page


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: the row and the token itself, which is never stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name, prefix=token[:SHOWN_CHARACTERS], digest=digest(token)
    )
    return row, token


def active(token: str) -> ApiToken | None:
    """The active token row for `token` with its user, in one indexed query; None if there is
    none (unknown, revoked, or its user deactivated)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def revoke(tokens) -> int:
    """Revoke the given tokens (a QuerySet) that are still active; how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
