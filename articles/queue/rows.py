"""The queue's table rows, built in Python instead of by the template engine.

Fifty rows of about 25 values and three |date filters each were two thirds of the queue page's
CPU time (about 1,400 template variable lookups and 150 date formats per page; cProfile at
100,000 articles). One format_html() per row then still cost about a third of the page
(1,500 escapes, 150 gettext calls and 50 timesince() per page; pyinstrument, 1,000 articles):
now one Rows object per page escapes each value that can vary once (a title once for its
link and its checkbox, a source or a username once per page, not per row), translates each
month and "N minutes" once per page, and fills the rows with f-strings (str.format() with
twenty keywords took four times as long per row).

Security: every value from imports or users (title, source, username, return reason) goes
through Django's escape() (_escape, Rows._escaped) before it is placed in a row; numbers are formatted
from ints and floats; the dates are ISO strings, digits and month and zone names, escaped as
well. The rest is the constant markup of the functions below. The page is byte for byte what the format_html()
rows gave (compared on 64 pages with hostile titles, sources, names and reasons when this was
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


def _escape(value) -> str:
    """Django's escape(), as a plain str: a SafeString is slower to put into an f-string."""
    return str.__str__(escape(value))


# The markup: every argument is escaped, a number, or markup made here.
def _row(
    *,
    select,
    url,
    title,
    source,
    status,
    status_label,
    returned,
    labeled,
    total,
    mix_text,
    mix,
    assigned,
    reviewed,
    imported,
) -> str:
    return f"""<tr>{select}
<td class="col-title" data-label="Title"><a href="{url}">{title}</a></td>
<td class="col-source" data-label="Source">{source}</td>
<td class="col-status" data-label="Status"><span class="status-badge status-{status}">{status_label}</span>{returned}</td>
<td class="col-progress" data-label="Progress">
<div class="progress">
<progress class="progress-bar" max="{total or 1}" value="{labeled}" aria-label="{labeled} of {total} paragraphs labeled"></progress>
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
<td class="col-imported" data-label="Imported">{imported}</td>
</tr>
"""


# The blind second reviewer's row (articles.quality): the article's own labels, who set them
# and whom it is assigned to (usually the first reviewer) are not theirs to see.
def _blind_row(*, select, url, title, source, imported) -> str:
    return f"""<tr>{select}
<td class="col-title" data-label="Title"><a href="{url}">{title}</a></td>
<td class="col-source" data-label="Source">{source}</td>
<td class="col-status" data-label="Status"><span class="status-badge status-second">Your second review</span></td>
<td class="col-progress" data-label="Progress"><span class="muted">blind</span></td>
<td class="col-mix" data-label="Labels"><span class="muted">hidden</span></td>
<td class="col-assigned" data-label="Assigned"><span class="muted">hidden</span></td>
<td class="col-reviewed" data-label="Last reviewed"><span class="muted">hidden</span></td>
<td class="col-imported" data-label="Imported">{imported}</td>
</tr>
"""


# The bulk selection's checkbox, tied to the form #queue-bulk (articles.queue.bulk): every bulk
# action (assign, send to second review) reads the same ticks.
def _select(pk: int, title: str) -> str:
    return (
        f'<td class="col-select"><input type="checkbox" name="ids" value="{pk}" '
        f'form="queue-bulk" class="row-select" aria-label="Select “{title}”"></td>'
    )


def _time(iso: str, title: str, shown: str) -> str:
    return f'<time datetime="{iso}" title="{title}">{shown}</time>'


_UNASSIGNED = '<span class="muted">Unassigned</span>'
_NEVER = '<span class="muted">Never</span>'
# The labels in the order of the bar and its text; their names are constants ("verified").
_LABELS = [
    _escape(f"{label}")
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
        self,
        now: datetime.datetime,
        *,
        query: str = "",
        selectable: bool = False,
        blind: set[int] = frozenset(),
    ):
        self.now = now
        self.selectable = selectable
        self.blind = blind
        self.tz = timezone.get_current_timezone()
        # The article's link, split where its id goes; `query` (the queue's query string)
        # goes on it, so the review page's Next/Previous follow this queue.
        head, tail = url_templates()["detail"].split("{article}")
        self.url_head = _escape(head)
        self.url_tail = _escape(tail + (f"?{query}" if query else ""))
        self._escapes: dict[str, str] = {}
        self._shown: dict[tuple[str, str], tuple[str, str]] = {}
        self._agos: dict[tuple[str, int], str] = {}

    def html(self, articles) -> SafeString:
        """Every row of `articles` (articles.queue.queries.page_rows())."""
        return mark_safe("".join([self.row(article) for article in articles]))  # noqa: S308

    def row(self, article) -> str:
        """One <tr> (a named tuple of articles.queue.queries.ROW_FIELDS); for an article in
        `blind`, without its first opinion (articles.quality)."""
        title = _escape(article.title)
        pk = article.pk
        select = _select(pk, title) if self.selectable else ""
        url = f"{self.url_head}{pk}{self.url_tail}"
        source = self._escaped(article.source or "—")
        iso, shown, day = self._dates(article.imported_at)
        imported = _time(iso, shown, day)
        if pk in self.blind:
            return _blind_row(
                select=select, url=url, title=title, source=source, imported=imported
            )
        total = article.paragraph_count
        verified = article.verified_count
        unverified = article.unverified_count
        boilerplate = article.boilerplate_count
        labeled = verified + unverified + boilerplate
        mix, x = [], 0.0
        for label, count in zip(
            _LABELS, (verified, unverified, boilerplate), strict=True
        ):
            width = count * 100 / total if total else 0.0
            if count:
                mix.append(
                    f'<rect class="mix-{label}" x="{x:.2f}%" width="{width:.2f}%" '
                    'height="100%"/>'
                )
            x += width
        status = article.status
        assigned = article.assigned_to__username
        return _row(
            select=select,
            url=url,
            title=title,
            source=source,
            status=self._escaped(status),
            status_label=self._escaped(_STATUS_LABELS.get(status, status)),
            returned=self._returned(article),
            labeled=labeled,
            total=total,
            mix_text=(
                f"{verified} {_LABELS[0]}, {unverified} {_LABELS[1]}, "
                f"{boilerplate} {_LABELS[2]}, {total - labeled} unlabeled"
            ),
            mix="".join(mix),
            assigned=self._escaped(assigned) if assigned is not None else _UNASSIGNED,
            reviewed=self._reviewed(article),
            imported=imported,
        )

    def _escaped(self, value) -> str:
        """_escape(value), once per page for a value rows repeat (sources, names, statuses)."""
        escaped = self._escapes.get(value)
        if escaped is None:
            escaped = self._escapes[value] = _escape(value)
        return escaped

    def _dates(self, moment: datetime.datetime) -> tuple[str, str, str]:
        """dates(moment), escaped; worked out once per page for each minute shown (a batch
        of imports shares it), each month's name translated once."""
        local = moment.astimezone(self.tz)
        iso = local.isoformat()
        zone = local.tzname() or ""
        key = (iso[:16], zone)  # "2025-03-04T09:05": the local day and minute
        shown = self._shown.get(key)
        if shown is None:
            month = str(MONTHS_3[local.month]).title()
            day = _escape(f"{local.day} {month} {local.year}")
            title = f"{day}, {local.hour:02}:{local.minute:02} {_escape(zone)}"
            shown = self._shown[key] = (title, day)
        return iso, *shown

    def _returned(self, article) -> str:
        """The Lead's open return, with its reason, for the reviewer to see in their queue."""
        if not article.returned:
            return ""
        reason = article.returned__reason
        return (
            f'<span class="returned-mark" title="{_escape(reason)}">'
            f"Returned: {_escape(Truncator(reason).chars(60))}</span>"
        )

    def _reviewed(self, article) -> str:
        moment = article.last_reviewed_at
        if not moment:
            return _NEVER
        iso, title, _ = self._dates(moment)
        reviewed = _time(iso, title, f"{self._ago(moment)} ago")
        reviewer = article.last_reviewed_by__username
        if reviewer is not None:
            return f'{reviewed} <span class="muted">by {self._escaped(reviewer)}</span>'
        return reviewed

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
            ago = self._agos[unit, count] = _escape(text)
        return ago
