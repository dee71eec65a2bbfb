"""HTML built in Python for the pages' hot parts (the review page's paragraphs, the queue's rows).

format_html() and format_html_join() give the output of Django's functions of the same names
at a third of their cost: a page makes a thousand such calls (the queue: ~20 values in each of
50 rows), and Django's escape() goes through keep_lazy's wrapper, which looks for lazy strings
among its arguments on every call. tests/test_markup.py holds the two equal.

url_templates(): the article URLs, reversed once per process instead of once per row or form.

Security: every value is escaped exactly as conditional_escape() escapes it (its own
__html__() when it has one, a SafeString; else html.escape(str(value))). Only the format
strings, which are constants in our code, pass unescaped.
"""

import html
from collections.abc import Iterable
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString


def format_html(format_string: str, *args, **kwargs) -> SafeString:
    """django.utils.html.format_html(), the same output."""
    return SafeString(
        format_string.format(
            *map(escaped, args), **{name: escaped(v) for name, v in kwargs.items()}
        )
    )


def format_html_join(separator: str, format_string: str, rows: Iterable) -> SafeString:
    """django.utils.html.format_html_join() for rows of positional values, the same output."""
    return SafeString(
        escaped(separator).join(format_html(format_string, *row) for row in rows)
    )


def escaped(value) -> str:
    """`value` as conditional_escape() returns it."""
    if isinstance(value, Promise):  # a lazy string: as conditional_escape() does
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


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
    }
