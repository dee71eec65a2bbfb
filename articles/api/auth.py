"""Who an API request is: a personal token (articles.api.tokens), and nothing else.

The API reads no session cookie: a request without `Authorization: Bearer <token>` gets 401
even from a logged-in browser. So a page on another site cannot make a visitor's browser act
on the API (CSRF needs an ambient credential, and a bearer token is never sent by itself), and
the API's views are exempt from the CSRF check for that reason only.

Every request with a known token also counts against its rate limit: a fixed window of one
minute, counted on the token's own row by one UPDATE … RETURNING (the database is shared by
every app server, so the limit holds across them, with no cache service to run).
"""

import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from articles.api.errors import ApiError
from articles.api.tokens import PREFIX, digest
from articles.middleware import READ_PERMISSION
from articles.models import ApiToken

WINDOW_SECONDS = 60

_TOUCH = (
    "UPDATE {table} SET "
    "window_requests = CASE WHEN window_start = %s THEN window_requests + 1 ELSE 1 END, "
    "window_start = %s, last_used_at = %s "
    "WHERE digest = %s AND revoked_at IS NULL RETURNING id, user_id, window_requests"
)


class TokenAuth(HttpBearer):
    """Bearer token auth: the request acts as the token's user, with that user's role."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        window = int(time.time() // WINDOW_SECONDS)
        with connection.cursor() as cursor:
            cursor.execute(
                _TOUCH.format(table=connection.ops.quote_name(ApiToken._meta.db_table)),
                [
                    window,
                    window,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                    digest(token),
                ],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        token_id, user_id, requests = row
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return None
        limit = settings.NEWSREVIEW_API_RATE_PER_MINUTE
        if requests > limit:
            wait = math.ceil((window + 1) * WINDOW_SECONDS - time.time())
            raise ApiError(
                429,
                "Authorization",
                f"more than {limit:,} requests a minute with this token; "
                f"try again in {wait} s",
                headers={"Retry-After": str(max(1, wait))},
            )
        if not user.has_perm(READ_PERMISSION):
            raise ApiError(
                403,
                "Authorization",
                "this token's user has no role (Reviewer or Lead); ask a lead for one",
            )
        # Not request.user: that is the session's (AnonymousUser without one), and the site's
        # middleware would start a session for a token's user (SlidingSessionMiddleware).
        request.api_user = user
        return token_id


def require(request: HttpRequest, permission: str, what: str) -> None:
    """Refuse with 403 unless the token's user has `permission` ("articles.import_article")."""
    if not request.api_user.has_perm(permission):
        raise ApiError(403, "Authorization", f"this token's user may not {what}")
