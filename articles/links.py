"""The article URLs the pages repeat per row or paragraph, reversed once per process.

reverse() costs tens of microseconds, and the review page and the queue reversed dozens per
page; url_templates() reverses each URL once (per script prefix) with stand-in ids, which
become the markers "{article}" and "{position}".
"""

from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, reverse

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
