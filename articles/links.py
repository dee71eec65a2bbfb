"""The article URLs the pages repeat per row or paragraph, reversed once per process.

reverse() costs tens of microseconds, and the review page and the queue reversed dozens per
page; url_templates() reverses each URL once (per script prefix) with stand-in ids, which
become the markers "{article}" and "{position}".
"""

from functools import cache, lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins for the ids in reverse(): each URL is reversed once per process (and script
# prefix) with these, which become the markers "{article}" and "{position}". reverse() costs
# tens of microseconds, and the review page and the queue reversed dozens per page. A reversed
# path is percent-encoded, so "{" can only be a marker.
_ARTICLE, _POSITION = 918273645, 546372819


def url_templates() -> dict[str, str]:
    """{url name: "/articles/{article}/paragraphs/{position}/label/", …} for this script prefix."""
    return _url_templates(get_script_prefix())


@cache
def _url_templates(script_prefix: str) -> dict[str, str]:
    def template(name: str, *args: int) -> str:
        url = reverse(name, args=args)
        for number, marker in ((_ARTICLE, "{article}"), (_POSITION, "{position}")):
            if number in args:
                if url.count(f"/{number}/") != 1:
                    raise ImproperlyConfigured(f"{name}: {number} not once in {url}")
                url = url.replace(f"/{number}/", f"/{marker}/")
        return url

    return {
        "accept": template("articles:accept_suggestions", _ARTICLE),
        "rest": template("articles:boilerplate_rest", _ARTICLE),
        "apply": template("articles:boilerplate_apply"),
        "detail": template("articles:detail", _ARTICLE),
        "label": template("articles:label", _ARTICLE, _POSITION),
        "note": template("articles:note", _ARTICLE, _POSITION),
        "paragraph": template("articles:paragraph", _ARTICLE, _POSITION),
    }


def url(name: str, *args) -> str:
    """reverse(name, args=args), remembered per process (and URL configuration and script
    prefix): the `{% link %}` tag of the pages every reviewer loads (base.html, the review
    page), which reversed about twenty URLs each, 7% of the review page (profiled)."""
    return _reversed(get_urlconf(), get_script_prefix(), name, args)


@lru_cache(maxsize=4096)
def _reversed(urlconf, script_prefix: str, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)


def detail_url(article_id: int, position: int | None = None, query: str = "") -> str:
    """The review page of `article_id`, with the queue's `query`, at paragraph `position`."""
    page = url("articles:detail", article_id)
    if query:
        page = f"{page}?{query}"
    return f"{page}#p-{position}" if position else page
