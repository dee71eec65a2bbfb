"""What the review page shows of a revision on each paragraph it changed: the mark ("edited in
revision 2"), the word diff, the old links, and for an edited paragraph the previous label as a
suggestion with its one-key confirm. Built with format_html(), like the paragraph's <li>
(articles.review.paragraphs), which places it above the text.
"""

import html
import re
from dataclasses import dataclass

from django.template.defaultfilters import date
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

from articles.html import format_html
from articles.models import Change, Label, ParagraphSnapshot
from articles.revisions.diff import word_diff
from articles.templatetags.review_tags import link_domain

_LABEL_NAMES = dict(Label.choices)
_MARKED = (Change.EDITED, Change.LINKS_CHANGED, Change.ADDED)
_HREF = re.compile(r' href="([^"]*)"')


@dataclass(frozen=True)
class RevisionMark:
    change: str
    revision: int
    before: (
        ParagraphSnapshot | None
    )  # the paragraph it continues, as revision - 1 had it


def attach_revision_marks(paragraphs, *, article) -> None:
    """Give each paragraph `.revision_mark`: what the latest revision did to it (edited, added,
    links changed; unchanged only when it carried a label nobody changed since), else None.
    One query for the edited and relinked ones' previous versions, none for an article's
    first revision."""
    continued = []
    for paragraph in paragraphs:
        paragraph.revision_mark = None
        if _carried(paragraph, article):
            paragraph.revision_mark = RevisionMark(
                Change.UNCHANGED, article.revision, None
            )
        elif article.revision > 1 and paragraph.change in _MARKED:
            paragraph.revision_mark = RevisionMark(
                paragraph.change, article.revision, None
            )
            if paragraph.change != Change.ADDED:
                continued.append(paragraph)
    if not continued:
        return
    before = {
        snapshot.paragraph_id: snapshot
        for snapshot in ParagraphSnapshot.objects.filter(
            article_id=article.pk,
            revision=article.revision - 1,
            paragraph_id__in=[p.pk for p in continued],
        ).select_related("labeled_by")
    }
    for paragraph in continued:
        paragraph.revision_mark = RevisionMark(
            paragraph.change, article.revision, before.get(paragraph.pk)
        )


def _carried(paragraph, article) -> bool:
    """An unchanged paragraph whose label the latest revision carried (nobody changed it
    since)."""
    return bool(
        article.revision > 1
        and paragraph.change == Change.UNCHANGED
        and paragraph.label
        and paragraph.labeled_at
        and article.revised_at
        and paragraph.labeled_at <= article.revised_at
    )


def _domains(paragraph_html: str) -> str:
    hrefs = [html.unescape(href) for href in _HREF.findall(paragraph_html)]
    return (
        ", ".join(dict.fromkeys(link_domain(href) or href for href in hrefs)) or "none"
    )


def previous_by(snapshot: ParagraphSnapshot) -> str:
    """ "was Verified by rita, 12 Nov" of the label an edit took away."""
    said = f"was {_LABEL_NAMES[snapshot.label]}"
    if snapshot.labeled_by:
        said += f" by {snapshot.labeled_by.get_username()}"
    if snapshot.labeled_at:
        said += f", {date(template_localtime(snapshot.labeled_at), 'j M')}"
    return said


def _confirm_form(paragraph, links, label: str) -> SafeString:
    url = links.label_url(paragraph.position)
    return format_html(
        '<form method="post" action="{0}" class="previous-form" hx-post="{0}" '
        'hx-target="#p-{1}" hx-swap="outerHTML">\n{2}\n'
        '<input type="hidden" name="label" value="{3}">\n'
        '<input type="hidden" name="version" value="{4}">\n'
        '<input type="hidden" name="method" value="previous">\n'
        '<button type="submit" class="button">Confirm {5} <kbd>c</kbd></button>\n</form>\n',
        url,
        paragraph.position,
        links.csrf_input,
        label,
        paragraph.version,
        _LABEL_NAMES[label],
    )


def mark_html(paragraph, links, *, can_label: bool) -> SafeString:
    """The revision block above a changed paragraph's text ("" when it has no mark)."""
    mark = getattr(paragraph, "revision_mark", None)
    if mark is None:
        return SafeString("")
    before = mark.before
    if mark.change == Change.UNCHANGED:
        return format_html(
            '<p class="revision-carried">Unchanged in revision {}: label carried from '
            "revision {}.</p>",
            mark.revision,
            mark.revision - 1,
        )
    if mark.change == Change.ADDED:
        return format_html(
            '<div class="revision-mark revision-added">\n<p><strong class="revision-badge">'
            "Added in revision {}</strong></p>\n</div>",
            mark.revision,
        )
    if mark.change == Change.LINKS_CHANGED:
        return format_html(
            '<div class="revision-mark revision-links">\n<p><strong class="revision-badge">'
            "Links changed in revision {}</strong> — the text is the same, so the label "
            "was kept; check where the links lead.</p>\n"
            '<p class="revision-links-list">Before: {} · now: {}</p>\n</div>',
            mark.revision,
            _domains(before.html) if before else "unknown",
            _domains(paragraph.html),
        )
    suggestion = ""
    if before and before.label and not paragraph.label:
        suggestion = format_html(
            '<p class="revision-previous">Previous label: <strong>{}</strong> — {}. '
            "Read what changed before you confirm it.</p>\n{}",
            _LABEL_NAMES[before.label],
            previous_by(before),
            _confirm_form(paragraph, links, before.label) if can_label else "",
        )
    diff = (
        format_html(
            '<p class="word-diff" aria-label="Changes: removed words struck through, '
            'added words underlined">{}</p>\n',
            word_diff(before.text, paragraph.text),
        )
        if before
        else ""
    )
    return format_html(
        '<div class="revision-mark revision-edited">\n<p><strong class="revision-badge">'
        "Edited in revision {}</strong></p>\n{}{}</div>",
        mark.revision,
        diff,
        suggestion,
    )
