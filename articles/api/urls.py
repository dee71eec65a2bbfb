"""The API's URLs, under /api/v1/ (included from newsreview/urls.py: ninja reverses its docs
page's schema URL in its own namespace, "api").

The endpoints authenticate by token only (articles.api.auth), so they are exempt from the
site's log-in redirect and role check (the token's user is checked instead); the schema and
the docs page are pages of the site like any other: log in with a role to read them.
"""

from django.urls import URLPattern

from articles.api.site import api

SITE_PAGES = {"openapi-json", "openapi-view"}


def _token_only(patterns: list) -> list:
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name not in SITE_PAGES:
            pattern.callback.login_required = False
    return patterns


patterns, app_name, namespace = api.urls
urls = (_token_only(patterns), app_name, namespace)
