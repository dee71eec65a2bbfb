"""The queue's table rows, built in Python instead of by the template engine.

Fifty rows of about 25 values and three |date filters each were two thirds of the queue page's
CPU time (about 1,400 template variable lookups and 150 date formats per page; cProfile at
100,000 articles). Here a row is one format_html() call and its link comes from a URL
reversed once per process (articles.links).

Security: format_html() escapes every value it is given (titles, sources and usernames come
from imports and users); the only strings passed through unescaped are the constant
fragments below and other format_html() results.
"""

import datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timesince import timesince

from articles.links import url_templates
from articles.models import Article, Label, ReviewStatus

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
    '<td class="col-select"><input type="checkbox" name="ids" value="{}" form="queue-bulk" '
    'class="row-select" aria-label="Select “{}”"></td>'
)
_UNASSIGNED = format_html('<span class="muted">{}</span>', "Unassigned")
_NEVER = format_html('<span class="muted">{}</span>', "Never")
_STATUS_LABELS = dict(ReviewStatus.choices)


def dates(moment: datetime.datetime) -> tuple[str, str, str]:
    """`moment` as |date:'c', |date:'j M Y, H:i T' and |date:'j M Y' show it, in local time.

    Django's date filter parses its format string on every call: 150 calls per page cost
    about 4 ms; these three strings are all the queue needs.
    """
    local = timezone.localtime(moment)
    day = f"{local.day} {str(MONTHS_3[local.month]).title()} {local.year}"
    return local.isoformat(), f"{day}, {local:%H:%M} {local.tzname() or ''}", day


def queue_row(
    article: Article,
    now: datetime.datetime,
    *,
    query: str = "",
    selectable: bool = False,
    blind: bool = False,
) -> SafeString:
    """One <tr> of the queue table (an Article from articles.queue.queries.for_queue()).

    `query` (the queue's query string) goes on the article's link, so the review page's
    Next/Previous follow this queue; `selectable` adds the bulk selection's checkbox; `blind`
    hides the first opinion from its second reviewer (articles.quality)."""
    select = format_html(_SELECT, article.pk, article.title) if selectable else ""
    imported_iso, imported_title, imported_day = dates(article.imported_at)
    url = url_templates()["detail"].replace("{article}", str(article.pk)) + (
        f"?{query}" if query else ""
    )
    if blind:
        return format_html(
            _BLIND_ROW,
            select=select,
            url=url,
            title=article.title,
            source=article.source or "—",
            imported_iso=imported_iso,
            imported_title=imported_title,
            imported_day=imported_day,
        )
    total = article.paragraph_count
    counts = {
        Label.VERIFIED: article.verified_count,
        Label.UNVERIFIED: article.unverified_count,
        Label.BOILERPLATE: article.boilerplate_count,
    }
    labeled = sum(counts.values())
    mix, x = [], 0.0
    for label, count in counts.items():
        width = count * 100 / total if total else 0.0
        if count:
            mix.append((label, f"{x:.2f}", f"{width:.2f}"))
        x += width
    return format_html(
        _ROW,
        select=select,
        url=url,
        title=article.title,
        source=article.source or "—",
        status=article.status,
        status_label=_STATUS_LABELS.get(article.status, article.status),
        returned=_returned(article),
        max=total or 1,
        labeled=labeled,
        total=total,
        mix_text=", ".join(
            [f"{count} {label}" for label, count in counts.items()]
            + [f"{total - labeled} unlabeled"]
        ),
        mix=format_html_join(
            "",
            '<rect class="mix-{}" x="{}%" width="{}%" height="100%"/>',
            mix,
        ),
        assigned=(article.assigned_to.username if article.assigned_to else _UNASSIGNED),
        reviewed=_reviewed(article, now),
        imported_iso=imported_iso,
        imported_title=imported_title,
        imported_day=imported_day,
    )


def _returned(article: Article) -> SafeString | str:
    """The Lead's open return, with its reason, for the reviewer to see in their queue."""
    if not article.returned_id:
        return ""
    return format_html(
        '<span class="returned-mark" title="{}">Returned: {}</span>',
        article.returned.reason,
        Truncator(article.returned.reason).chars(60),
    )


def _reviewed(article: Article, now: datetime.datetime) -> SafeString:
    if not article.last_reviewed_at:
        return _NEVER
    iso, title, _ = dates(article.last_reviewed_at)
    ago = timesince(article.last_reviewed_at, now, depth=1)
    if article.last_reviewed_by:
        return format_html(
            '<time datetime="{}" title="{}">{} ago</time> <span class="muted">by {}</span>',
            iso,
            title,
            ago,
            article.last_reviewed_by.username,
        )
    return format_html('<time datetime="{}" title="{}">{} ago</time>', iso, title, ago)
