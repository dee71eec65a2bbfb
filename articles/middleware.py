"""Project-wide request rules that every page shares, in one place each.

ViewPermissionMiddleware: reading needs `articles.view_article`. Logging in (LoginRequired-
Middleware, before this one) is not enough: taking someone out of the Reviewer and Lead groups
is how a desk revokes access, and that must revoke reading too (the queue, articles, notes,
the Boilerplate page, the exports). Every view needs the permission except the account pages
(log in, log out, change your own password) and the admin, which checks staff status and
model permissions itself. A new page is covered without anyone remembering to decorate it.
"""

from django.core.exceptions import PermissionDenied

READ_PERMISSION = "articles.view_article"
# Views anyone logged in may use (and the log-in page, which needs no login at all).
ACCOUNT_VIEWS = frozenset(
    {"login", "logout", "password_change", "password_change_done"}
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
