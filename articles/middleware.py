"""Project-wide request rules that every page shares, in one place each: a role to read, no
caching of pages for logged-in users, the sessions' idle timeout.

ViewPermissionMiddleware: reading needs `articles.view_article`. Logging in (LoginRequired-
Middleware, before this one) is not enough: taking someone out of the Reviewer and Lead groups
is how a desk revokes access, and that must revoke reading too (the queue, articles, notes,
the Boilerplate page, the exports). Every view needs the permission except the account pages
(log in, log out, change your own password) and the admin, which checks staff status and
model permissions itself. A new page is covered without anyone remembering to decorate it.
"""

import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.cache import patch_cache_control

READ_PERMISSION = "articles.view_article"
# Views anyone logged in may use (and the log-in page, which needs no login at all).
# (admin_password_change: the admin's own page, staff only through admin_view, like the admin.)
ACCOUNT_VIEWS = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "admin_password_change",
    }
)


class ViewPermissionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not getattr(view_func, "login_required", True):  # @login_not_required
            return None
        if "admin" in match.namespaces or (
            not match.namespaces and match.url_name in ACCOUNT_VIEWS
        ):
            return None
        if not request.user.has_perm(READ_PERMISSION):
            raise PermissionDenied("You need a role (Reviewer or Lead) to read this.")
        return None


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every answer to a logged-in user: after logging
    out, the back button must not show the queue or an article from the browser's cache.
    Static files are answered by WhiteNoise before this runs, and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


SESSION_STAMP = "newsreview_active_at"


def _refresh_seconds() -> int:
    """How old the stamp may get before a request slides the expiry: five minutes, or a tenth
    of a short idle timeout."""
    return max(1, min(300, settings.SESSION_COOKIE_AGE // 10))


def stamp_session(sender, request, user, **kwargs) -> None:
    """At log-in (user_logged_in): the session is saved then anyway, so the first request
    after it does not write the session again."""
    request.session[SESSION_STAMP] = int(time.time())


class SlidingSessionMiddleware:
    """Sessions end after NEWSREVIEW_SESSION_IDLE_MINUTES without a request
    (SESSION_COOKIE_AGE). Rather than SESSION_SAVE_EVERY_REQUEST, which writes the session on
    every request (a statement more on every label POST, whose budget is 8), a request
    refreshes the expiry only when the last refresh is older than _refresh_seconds(): it
    changes the session's stamp, so SessionMiddleware saves it with a new expiry and cookie.
    The idle timeout is therefore exact to within those few minutes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:  # after the view: logged out means no refresh
            now = int(time.time())
            stamp = request.session.get(SESSION_STAMP, 0)
            if now - stamp >= _refresh_seconds():
                request.session[SESSION_STAMP] = now
        return response
