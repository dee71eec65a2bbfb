"""The queue page's repeated controls, worked out in Python: the filters' <option>s, the
status totals' links, the sort headings' links and the page links.

In the template each option and each link was a loop iteration with a few variable lookups,
an {% if %} and, for a link, a {% querystring %} (a deep copy of the filters and an
urlencode): about 60 per page, most of the template's time (pyinstrument). Here the options of
the fixed choices are made once per process for each chosen value, and a page's links share
one encoding of its filters (QueryLinks).

Escaping: what the user sent reaches these only as valid filter values (articles.queue.filters),
and every value is still escaped with Django's escape() or arrives escaped (floatformat).
"""

import functools
from urllib.parse import urlencode

from django.http import QueryDict
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import ReviewStatus
from articles.queue.filters import NO_SOURCE, QueueFilterForm

# Sortable columns: (heading, sort key of the first click, sort key of the second click).
COLUMNS = {
    "title": ("Title", "title", "-title"),
    "source": ("Source", "source", None),
    "status": ("Status", "status", None),
    "progress": ("Progress", "progress", "-progress"),
    "reviewed": ("Last reviewed", "-reviewed", None),
    "imported": ("Imported", "-imported", "imported"),
}
# Between two <option>s: the indentation the template's <select>s have.
_OPTION_BREAK = "\n            "


class QueryLinks:
    """Links to the queue with the page's filters changed: `href(status="reviewed")` is
    `{{ queue_url }}{% querystring params status="reviewed" %}`, escaped, as the template
    wrote it (tests/test_queue_views.py compares the two), without copying the filters for
    every link."""

    def __init__(self, url: str, params: QueryDict):
        self.url = url
        self.pairs = {name: _pair(name, value) for name, value in params.items()}

    def href(self, **changes) -> SafeString:
        pairs = dict(self.pairs)
        for name, value in changes.items():
            if value is None:
                pairs.pop(name, None)
            else:
                pairs[name] = _pair(name, value)
        query = "?" + "&".join(pairs.values()) if pairs or self.pairs else ""
        return escape(self.url + query)


def _pair(name: str, value) -> str:
    # One name=value as QueryDict.urlencode() writes it.
    return urlencode({name.encode(): str(value).encode()})


def select_options(name: str, selected: str) -> SafeString:
    """The <option>s of the filter form's choice field `name`, `selected` chosen."""
    choices = QueueFilterForm.base_fields[name].choices
    if selected not in {value for value, _ in choices}:
        selected = None  # only valid values reach here; never cache anything else
    return _options(name, selected)


@functools.cache
def _options(name: str, selected: str | None) -> SafeString:
    return mark_safe(  # noqa: S308 -- each value and label escaped
        _OPTION_BREAK.join(
            _option(value, escape(label), value == selected)
            for value, label in QueueFilterForm.base_fields[name].choices
        )
    )


def _option(value: str, label_html: str, selected: bool) -> str:
    chosen = " selected" if selected else ""
    return f'<option value="{escape(value)}"{chosen}>{label_html}</option>'


def sources(by_source: dict[str, int], current: str) -> list[tuple[str, str, int]]:
    """(value, name, matches) of the sources present, the chosen one always listed; articles
    without a source are the value NO_SOURCE, named "(no source)"."""
    by_value = {(source or NO_SOURCE): n for source, n in by_source.items()}
    if current and current not in by_value:
        by_value[current] = 0
    return [
        (value, "(no source)" if value == NO_SOURCE else value, n)
        for value, n in sorted(
            by_value.items(),
            key=lambda item: (item[0] != NO_SOURCE, item[0].casefold()),
        )
    ]


def source_options(
    present: list[tuple[str, str, int]], selected: str, *, cut: bool
) -> SafeString:
    """The Source filter's <option>s after "All sources": each source with its count ("+"
    when a search was cut at the cap)."""
    more = "+" if cut else ""
    return mark_safe(  # noqa: S308 -- each value and name escaped, counts formatted
        "".join(
            _OPTION_BREAK
            + _option(
                value,
                f"{escape(name)} ({floatformat(n, 'g')}{more})",
                value == selected,
            )
            for value, name, n in present
        )
    )


def total_links(totals: dict[str, int], current: str, links: QueryLinks) -> list[dict]:
    """Each status total (and "All"): its label, count, link and whether it is chosen."""
    choices = [*ReviewStatus.choices, ("", "All")]
    return [
        {
            "status": status,
            "label": label,
            "count": totals[status or "all"],
            "current": status == current,
            "href": links.href(status=status or None),
        }
        for status, label in choices
    ]


def columns(sort: str, links: QueryLinks) -> dict[str, dict]:
    """Each sortable heading: the link of the sort it applies and its aria-sort state."""
    headings = {}
    for key, (heading, first, second) in COLUMNS.items():
        direction = ""
        if sort in (first, second):
            direction = "descending" if sort.startswith("-") else "ascending"
        target = second if sort == first and second else first
        headings[key] = {
            "heading": heading,
            "href": links.href(sort=target),
            "direction": direction,
        }
    return headings


def page_links(page, page_range, links: QueryLinks) -> dict:
    """The pagination's links: previous, next, and (number, link) for each page shown."""
    return {
        "previous": links.href(page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next": links.href(page=page.next_page_number()) if page.has_next() else "",
        "numbers": [
            (number, links.href(page=number) if isinstance(number, int) else "")
            for number in page_range
        ],
    }
