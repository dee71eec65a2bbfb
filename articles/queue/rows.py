"""The queue's table rows, built in Python instead of by the template engine.

Fifty rows of about 25 values and three |date filters each were two thirds of the queue page's
CPU time (about 1,400 template variable lookups and 150 date formats per page; cProfile at
100,000 articles). One format_html() per row then still cost about a third of the page
(1,500 escapes, 150 gettext calls and 50 timesince() per page; pyinstrument, 1,000 articles):
now one Rows object per page escapes each value that can vary once (a title once for its
link and its checkbox, a source or a username once per page, not per row), translates each
month and "N minutes" once per page, and fills the rows with plain string formatting.

Security: every value from imports or users (title, source, username, return reason) goes
through Django's escape() (Rows._escaped) before it is placed in a row; numbers are formatted
from ints and floats; the dates are ISO strings, digits and month and zone names, escaped as
well. The rest is the constant markup below. The page is byte for byte what the format_html()
rows gave (compared on 32 pages with hostile titles, sources, names and reasons when this was
written); tests/test_queue_views.py checks the escaping and the ages against timesince().
"""

import datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timesince import TIME_CHUNKS, TIME_STRINGS, timesince

from articles.links import url_templates
from articles.models import Label, ReviewStatus

# The row's markup with {name} for each value; every value is escaped before it is filled in.
_ROW = """<tr>{select}
<td class="col-title" data-label="Title"><a href="{url}">{title}</a></td>
<td class="col-source" data-label="Source">{source}</td>
<td class="col-status" data-label="Status"><span class="status-badge status-{status}">{status_label}</span>{returned}</td>
<td class="col-progress" data-label="Progress">
<div class="progress">
<progress class="progress-bar" max="{max}" value="{labeled}" aria-label="{labeled} of {total} paragraphs labeled"></progress>
<span class="progress-text">{labeled}/{total}</span>
</div>
</td>
<td class="col-mix" data-label="Labels">
<svg class="mix" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{mix_text}">
<title>{mix_text}</title>
<rect class="mix-track" width="100%" height="100%"/>
{mix}
</svg>
</td>
<td class="col-assigned" data-label="Assigned">{assigned}</td>
<td class="col-reviewed" data-label="Last reviewed">{reviewed}</td>
<td class="col-imported" data-label="Imported"><time datetime="{imported_iso}" title="{imported_title}">{imported_day}</time></td>
</tr>
"""
# The blind second reviewer's row (articles.quality): the article's own labels, who set them
# and whom it is assigned to (usually the first reviewer) are not theirs to see.
_BLIND_ROW = """<tr>{select}
<td class="col-title" data-label="Title"><a href="{url}">{title}</a></td>
<td class="col-source" data-label="Source">{source}</td>
<td class="col-status" data-label="Status"><span class="status-badge status-second">Your second review</span></td>
<td class="col-progress" data-label="Progress"><span class="muted">blind</span></td>
<td class="col-mix" data-label="Labels"><span class="muted">hidden</span></td>
<td class="col-assigned" data-label="Assigned"><span class="muted">hidden</span></td>
<td class="col-reviewed" data-label="Last reviewed"><span class="muted">hidden</span></td>
<td class="col-imported" data-label="Imported"><time datetime="{imported_iso}" title="{imported_title}">{imported_day}</time></td>
</tr>
"""
# The bulk selection's checkbox, tied to the form #queue-bulk (articles.queue.bulk): every bulk
# action (assign, send to second review) reads the same ticks.
_SELECT = (
    '<td class="col-select"><input type="checkbox" name="ids" value="{pk}" form="queue-bulk" '
    'class="row-select" aria-label="Select “{title}”"></td>'
)
_MIX = '<rect class="mix-{label}" x="{x:.2f}%" width="{width:.2f}%" height="100%"/>'
_RETURNED = '<span class="returned-mark" title="{reason}">Returned: {short}</span>'
_REVIEWED = '<time datetime="{iso}" title="{title}">{ago} ago</time>'
_REVIEWED_BY = _REVIEWED + ' <span class="muted">by {by}</span>'
_UNASSIGNED = '<span class="muted">Unassigned</span>'
_NEVER = '<span class="muted">Never</span>'
# The labels in the order of the bar and its text; their names are constants ("verified").
_LABELS = [
    str(escape(f"{label}"))
    for label in (Label.VERIFIED, Label.UNVERIFIED, Label.BOILERPLATE)
]
_STATUS_LABELS = dict(ReviewStatus.choices)
# timesince()'s units below a month, largest first (depth 1 shows only the largest).
_CHUNKS = list(zip(TIME_CHUNKS, ("week", "day", "hour", "minute"), strict=True))


def dates(
    moment: datetime.datetime, tz: datetime.tzinfo | None = None
) -> tuple[str, str, str]:
    """`moment` as |date:'c', |date:'j M Y, H:i T' and |date:'j M Y' show it, in local time
    (the current time zone unless `tz` is given).

    Django's date filter parses its format string on every call: 150 calls per page cost
    about 4 ms; these three strings are all the queue needs.
    """
    local = timezone.localtime(moment, tz)
    day = f"{local.day} {str(MONTHS_3[local.month]).title()} {local.year}"
    return local.isoformat(), f"{day}, {local:%H:%M} {local.tzname() or ''}", day


class Rows:
    """The rows of one queue page: what every row shares (the time zone, the link, the
    translated months and durations, the escaped names) is worked out once here."""

    def __init__(
        self, now: datetime.datetime, *, query: str = "", selectable: bool = False
    ):
        self.now = now
        self.selectable = selectable
        self.tz = timezone.get_current_timezone()
        # The article's link, split where its id goes; `query` (the queue's query string)
        # goes on it, so the review page's Next/Previous follow this queue.
        head, tail = url_templates()["detail"].split("{article}")
        self.url_head = escape(head)
        self.url_tail = escape(tail + (f"?{query}" if query else ""))
        self._escapes: dict[str, str] = {}
        self._months: dict[int, str] = {}
        self._agos: dict[tuple[str, int], str] = {}

    def html(self, articles) -> SafeString:
        """Every row of `articles` (articles.queue.queries.page_rows())."""
        return mark_safe("".join([self.row(article) for article in articles]))  # noqa: S308

    def row(self, article) -> str:
        """One <tr> (a named tuple of articles.queue.queries.ROW_FIELDS); for an article the
        reader is second-reviewing blind, without its first opinion (articles.quality)."""
        title = escape(article.title)
        pk = article.pk
        select = _SELECT.format(pk=pk, title=title) if self.selectable else ""
        url = f"{self.url_head}{pk}{self.url_tail}"
        source = self._escaped(article.source or "—")
        imported_iso, imported_title, imported_day = self._dates(article.imported_at)
        if article.blind:
            return _BLIND_ROW.format(
                select=select,
                url=url,
                title=title,
                source=source,
                imported_iso=imported_iso,
                imported_title=imported_title,
                imported_day=imported_day,
            )
        total = article.paragraph_count
        counts = (
            article.verified_count,
            article.unverified_count,
            article.boilerplate_count,
        )
        labeled = sum(counts)
        mix, x = [], 0.0
        for label, count in zip(_LABELS, counts, strict=True):
            width = count * 100 / total if total else 0.0
            if count:
                mix.append(_MIX.format(label=label, x=x, width=width))
            x += width
        verified, unverified, boilerplate = counts
        status = article.status
        assigned = article.assigned_to__username
        return _ROW.format(
            select=select,
            url=url,
            title=title,
            source=source,
            status=self._escaped(status),
            status_label=self._escaped(_STATUS_LABELS.get(status, status)),
            returned=self._returned(article),
            max=total or 1,
            labeled=labeled,
            total=total,
            mix_text=(
                f"{verified} {_LABELS[0]}, {unverified} {_LABELS[1]}, "
                f"{boilerplate} {_LABELS[2]}, {total - labeled} unlabeled"
            ),
            mix="".join(mix),
            assigned=self._escaped(assigned) if assigned is not None else _UNASSIGNED,
            reviewed=self._reviewed(article),
            imported_iso=imported_iso,
            imported_title=imported_title,
            imported_day=imported_day,
        )

    def _escaped(self, value) -> str:
        """escape(value), once per page for a value rows repeat (sources, names, zones)."""
        escaped = self._escapes.get(value)
        if escaped is None:
            escaped = self._escapes[value] = escape(value)
        return escaped

    def _dates(self, moment: datetime.datetime) -> tuple[str, str, str]:
        """dates(moment), escaped, with each month's name translated once per page."""
        local = moment.astimezone(self.tz)
        month = self._months.get(local.month)
        if month is None:
            month = self._months[local.month] = str(MONTHS_3[local.month]).title()
        day = self._escaped(f"{local.day} {month} {local.year}")
        zone = self._escaped(local.tzname() or "")
        return local.isoformat(), f"{day}, {local:%H:%M} {zone}", day

    def _returned(self, article) -> str:
        """The Lead's open return, with its reason, for the reviewer to see in their queue."""
        if not article.returned:
            return ""
        reason = article.returned__reason
        return _RETURNED.format(
            reason=escape(reason), short=escape(Truncator(reason).chars(60))
        )

    def _reviewed(self, article) -> str:
        moment = article.last_reviewed_at
        if not moment:
            return _NEVER
        iso, title, _ = self._dates(moment)
        ago = self._ago(moment)
        reviewer = article.last_reviewed_by__username
        if reviewer is not None:
            by = self._escaped(reviewer)
            return _REVIEWED_BY.format(iso=iso, title=title, ago=ago, by=by)
        return _REVIEWED.format(iso=iso, title=title, ago=ago)

    def _ago(self, moment: datetime.datetime) -> str:
        """timesince(moment, now, depth=1), escaped. Under a month (the common case: a
        queue's recent reviews) it is one unit of the time since, worked out here with
        timesince()'s own arithmetic and strings and translated once per page for each
        "N hours"; a month or more goes to timesince() itself."""
        now = self.now
        if timezone.is_aware(now) and timezone.is_aware(moment):
            now = now.astimezone(moment.tzinfo)
        delta = now - moment
        months = (now.year - moment.year) * 12 + (now.month - moment.month)
        if moment.day > now.day or (
            moment.day == now.day and moment.time() > now.time()
        ):
            months -= 1
        if delta.days * 24 * 60 * 60 + delta.seconds <= 0:
            unit, count = "minute", 0
        elif months > 0:
            return self._escaped(timesince(moment, now, depth=1))
        else:
            unit, count = "minute", 0
            remaining = delta.total_seconds()
            for chunk, name in _CHUNKS:
                if n := int(remaining // chunk):
                    unit, count = name, n
                    break
        ago = self._agos.get((unit, count))
        if ago is None:
            text = (TIME_STRINGS[unit] % {"num": count}).replace(" ", "\xa0")
            ago = self._agos[unit, count] = escape(text)
        return ago
