"""format_html() for the HTML built in Python per row or paragraph (the review page's `<li>`,
the revision marks), the same output as Django's for a fraction of the cost.

Django's format_html() passes every argument through conditional_escape(), whose
`keep_lazy` wrapper looks for lazy strings among the arguments on every call: about 700 calls
on a review page, 12% of it (profiled). This escapes exactly as conditional_escape() does —
an object with `__html__` (SafeString, a Django form) gives its own HTML, anything else is
`str()` (a lazy string too) escaped by `html.escape`, as django.utils.html.escape does — and
nothing else. The result is a SafeString like Django's.
"""

from html import escape

from django.utils.safestring import SafeString


def escaped(value) -> str:
    """`value` as HTML: its own if it has `__html__`, else its text escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def format_html(format_string: str, *args, **kwargs) -> SafeString:
    """django.utils.html.format_html(): `format_string` (trusted) with every value escaped."""
    return SafeString(
        format_string.format(
            *[escaped(value) for value in args],
            **{name: escaped(value) for name, value in kwargs.items()},
        )
    )
