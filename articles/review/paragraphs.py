"""The review page's paragraph `<li>`, built in Python rather than in the template.

Two forms of it (issue 13):
- compact, on the article's page: the text, its label and who set it, and the parts above
  the text (suggestion, propagate link, conflict) — no forms. The page's one sticky toolbar
  acts on the focused paragraph (static/js/review.js); the `<li>` carries what it needs
  (position, version, label) as data attributes, and its number links to the paragraph's
  own page.
- expanded, on that paragraph page (articles/<id>/paragraphs/<n>/): the real forms, four label
  buttons, "rest is boilerplate", accept, the note, each posting without JavaScript.

Why Python: the expanded `<li>` has up to seven small forms with hidden fields and the CSRF
token; in the template that was about 85 variable lookups and 3 {% url %} tags per paragraph,
~70% of the review page's time. Here it is a few calls of Django's format_html(), which escapes
every value; the one piece of stored HTML comes from `paragraph_html`, the single audited place
that marks it safe.
"""

from dataclasses import dataclass, field

from django.template.defaultfilters import capfirst, date, urlencode
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

from articles.html import format_html
from articles.links import url_templates
from articles.models import Label
from articles.revisions.marks import mark_html
from articles.templatetags.review_tags import ago, paragraph_html

# The label buttons, in order; "" clears the label.
LABEL_CHOICES = [*Label.choices, ("", "Clear")]
# A label's name ("Verified"): Model.get_label_display() rebuilds the field's choices on every
# call, 10% of the review page (profiled) for two lookups per paragraph.
_LABEL_NAMES = dict(Label.choices)
_NOTE_SAVED = format_html('<span class="note-saved" role="status">{}</span>', "Saved")


@dataclass(frozen=True)
class PageLinks:
    """What every paragraph of one article shares: its URLs and the CSRF field, made once."""

    source: str
    csrf_input: SafeString
    accept_url: str
    rest_url: str
    apply_url: str
    detail_url: str
    # The per-paragraph URLs, split where the position goes.
    label_url_parts: tuple[str, str]
    note_url_parts: tuple[str, str]
    paragraph_url_parts: tuple[str, str] = ("", "")
    # actions_format()'s, by label.
    _actions: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_article(cls, article, csrf_token: str) -> "PageLinks":
        article_id = str(article.pk)
        urls = {
            name: template.replace("{article}", article_id)
            for name, template in url_templates().items()
        }
        return cls(
            source=article.source,
            # The no-JS form path posts this field; htmx sends the header from <body> as well.
            csrf_input=format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                csrf_token,
            ),
            accept_url=urls["accept"],
            rest_url=urls["rest"],
            apply_url=urls["apply"],
            detail_url=urls["detail"],
            label_url_parts=tuple(urls["label"].split("{position}")),
            note_url_parts=tuple(urls["note"].split("{position}")),
            paragraph_url_parts=tuple(urls["paragraph"].split("{position}")),
        )

    def label_url(self, position: int) -> str:
        head, tail = self.label_url_parts
        return f"{head}{position}{tail}"

    def paragraph_url(self, position: int) -> str:
        head, tail = self.paragraph_url_parts
        return f"{head}{position}{tail}"

    def actions_format(self, label: str) -> str:
        """_ACTIONS with what every paragraph labeled `label` shares filled in, escaped once:
        the URLs (around their position), the CSRF field and which button is pressed. Left for
        format_html(): position, version, note, note_button and note_saved.

        Escaping each of these per paragraph was a third of the review page's <li> time."""
        actions = self._actions.get(label)
        if actions is None:
            actions = self._actions[label] = _ACTIONS.format(
                label_url=_position_url(self.label_url_parts),
                note_url=_position_url(self.note_url_parts),
                rest_url=_literal(self.rest_url),
                csrf_input=_literal(self.csrf_input),
                **{name: f"{{{name}}}" for name in _PARAGRAPH_FIELDS},
                **{
                    f"pressed_{value}": "true" if value == label else "false"
                    for value in Label.values
                },
            )
        return actions


def _literal(value) -> str:
    """`value` escaped as format_html() escapes it, with braces doubled for a format string."""
    return conditional_escape(value).replace("{", "{{").replace("}", "}}")


def _position_url(parts: tuple[str, str]) -> str:
    head, tail = parts
    return f"{_literal(head)}{{position}}{_literal(tail)}"


def _label_form(value: str, name: str) -> str:
    # A format string for format_html(); the label and its name are constants, escaped here.
    pressed = f' aria-pressed="{{pressed_{value}}}"' if value else ""
    return (
        '<form method="post" action="{label_url}" class="label-form" hx-post="{label_url}" '
        f'hx-target="#p-{{position}}" hx-swap="outerHTML" data-label="{escape(value)}">\n'
        "{csrf_input}\n"
        f'<input type="hidden" name="label" value="{escape(value)}">\n'
        '<input type="hidden" name="version" value="{version}">\n'
        '<input type="hidden" name="method" value="click">\n'
        f'<button type="submit" class="label-button label-button-{escape(value or "clear")}"'
        f"{pressed}>{escape(name)}</button>\n</form>"
    )


# The four label buttons, "rest is boilerplate" and the note: one format_html() per paragraph.
_ACTIONS = (
    '<div class="paragraph-actions">\n'
    + "\n".join(_label_form(value, name) for value, name in LABEL_CHOICES)
    + '\n<form method="post" action="{rest_url}" class="rest-form" hx-post="{rest_url}" '
    'hx-target="#paragraphs" hx-swap="outerHTML">\n{csrf_input}\n'
    '<input type="hidden" name="from_position" value="{position}">\n'
    '<button type="submit" class="link-button" '
    'title="This paragraph and every unlabeled one after it">Rest is boilerplate</button>\n'
    "</form>\n</div>\n"
    '<form method="post" action="{note_url}" class="note-form" hx-post="{note_url}" '
    'hx-target="#p-{position}" hx-swap="outerHTML" hx-trigger="submit, change">\n'
    "{csrf_input}\n"
    '<input type="hidden" name="version" value="{version}">\n'
    '<label for="note-{position}" class="visually-hidden">Note on paragraph {position}</label>\n'
    '<textarea id="note-{position}" name="note" rows="1" maxlength="5000" '
    'placeholder="Note">{note}</textarea>\n'
    '<button type="submit" class="button note-save">{note_button}</button>\n'
    "{note_saved}</form>\n"
)


# The values of _ACTIONS that are each paragraph's own (PageLinks.actions_format()).
_PARAGRAPH_FIELDS = ("position", "version", "note", "note_button", "note_saved")


def _actions(paragraph, links: PageLinks, *, retry_note, note_saved) -> SafeString:
    return format_html(
        links.actions_format(paragraph.label),
        position=paragraph.position,
        version=paragraph.version,
        note=paragraph.note if retry_note is None else retry_note,
        note_button="Save note" if retry_note is None else "Retry: save my note",
        note_saved=_NOTE_SAVED if note_saved else "",
    )


def _side(paragraph, links: PageLinks, *, linked: bool) -> SafeString:
    if paragraph.labeled_by and paragraph.labeled_at:
        local = template_localtime(paragraph.labeled_at)
        by = format_html(
            '<span class="paragraph-by">{} {}\n<time datetime="{}" title="{}">{}</time></span>',
            "by" if paragraph.label else "cleared by",
            paragraph.labeled_by.get_username(),
            local.isoformat(),  # the "c" format
            date(local, "j M Y, H:i"),
            ago(paragraph.labeled_at),
        )
    elif paragraph.labeled_by:
        by = format_html(
            '<span class="paragraph-by">{} {}\n</span>',
            "by" if paragraph.label else "cleared by",
            paragraph.labeled_by.get_username(),
        )
    else:
        by = ""
    if linked:
        # The paragraph's own page, with its forms: how it is labeled without JavaScript.
        number = format_html(
            '<a class="paragraph-position" href="{}" title="Paragraph {}: its own page, '
            'with every action">¶ {}</a>',
            links.paragraph_url(paragraph.position),
            paragraph.position,
            paragraph.position,
        )
    else:
        number = format_html(
            '<span class="paragraph-position">¶ {}</span>', paragraph.position
        )
    return format_html(
        '<div class="paragraph-side">\n{}\n'
        '<span class="label-badge label-{}">{}</span>\n{}</div>',
        number,
        paragraph.label or "none",
        _LABEL_NAMES.get(paragraph.label) or "Unlabeled",
        by,
    )


def _suggestion(paragraph, links: PageLinks, *, can_label: bool) -> SafeString:
    """The suggestion; with `can_label` (the paragraph page) its Accept form, else the hint
    that `a` (or the toolbar's Accept) takes it."""
    suggestion = paragraph.suggestion
    accept = _ACCEPT_HINT
    if can_label:
        accept = format_html(
            '<form method="post" action="{0}" class="accept-form" hx-post="{0}" '
            'hx-target="#p-{1}" hx-swap="outerHTML">\n{2}\n'
            '<input type="hidden" name="position" value="{1}">\n'
            '<button type="submit" class="button">Accept</button>\n</form>\n',
            links.accept_url,
            paragraph.position,
            links.csrf_input,
        )
    return format_html(
        '<div class="suggestion">\n<p><strong class="suggestion-label">Suggested: {}</strong>\n'
        '<span class="suggestion-confidence">{}% sure</span>\n'
        '<span class="suggestion-reason">— {}</span></p>\n{}</div>',
        capfirst(suggestion.label),
        suggestion.percent,
        suggestion.reason,
        accept,
    )


_ACCEPT_HINT = SafeString(
    '<p class="suggestion-hint">Accept it with <kbd>a</kbd> or the toolbar.</p>\n'
)


def _propagate_link(paragraph, links: PageLinks) -> SafeString:
    return format_html(
        '<p class="propagate-link"><a href="{}?source={}&amp;text_hash={}&amp;next={}%23p-{}">'
        "Apply a label to all {} {} articles with this text…</a></p>",
        links.apply_url,
        urlencode(links.source),
        paragraph.text_hash,
        links.detail_url,
        paragraph.position,
        paragraph.repeated_in,
        links.source,
    )


def _conflict(
    paragraph, links, conflict, retry_label, retry_label_name, retry_note=None
) -> SafeString:
    retry = ""
    if retry_note is not None:
        # The note the reviewer typed is kept, editable, with its own retry.
        head, tail = links.note_url_parts
        retry = format_html(
            '<form method="post" action="{0}" hx-post="{0}" hx-target="#p-{1}" '
            'hx-swap="outerHTML" class="note-retry">\n{2}\n'
            '<input type="hidden" name="version" value="{3}">\n'
            '<label for="retry-note-{1}">Your note</label>\n'
            '<textarea id="retry-note-{1}" name="note" rows="2" maxlength="5000">{4}</textarea>\n'
            '<button type="submit" class="button">Retry: save my note</button>\n</form>\n',
            f"{head}{paragraph.position}{tail}",
            paragraph.position,
            links.csrf_input,
            paragraph.version,
            retry_note,
        )
    elif retry_label is not None:
        retry = format_html(
            '<form method="post" action="{0}" hx-post="{0}" hx-target="#p-{1}" '
            'hx-swap="outerHTML">\n{2}\n<input type="hidden" name="label" value="{3}">\n'
            '<input type="hidden" name="version" value="{4}">\n'
            '<button type="submit" class="button">Retry: {5}</button>\n</form>\n',
            links.label_url(paragraph.position),
            paragraph.position,
            links.csrf_input,
            retry_label,
            paragraph.version,
            f"make it {retry_label_name}" if retry_label else "clear it",
        )
    return format_html(
        '<div class="paragraph-conflict" role="alert">\n<p>{}</p>\n{}</div>',
        conflict,
        retry,
    )


def _note(paragraph) -> SafeString:
    if not paragraph.note:
        return SafeString("")
    return format_html(
        '<p class="paragraph-note"><span class="paragraph-note-label">Note:</span> '
        '<span class="paragraph-note-text">{}</span></p>\n',
        paragraph.note,
    )


def paragraph_item(
    paragraph,
    links: PageLinks,
    *,
    can_label: bool,
    can_propagate: bool,
    expanded: bool = False,
    conflict: str = "",
    retry_label: str | None = None,
    retry_label_name: str = "",
    retry_note: str | None = None,
    note_saved: bool = False,
) -> SafeString:
    """One paragraph's `<li>`: label, who set it, text, the parts above the text (suggestion,
    propagate link, conflict) and its note; `expanded` (the paragraph page) adds the forms.

    `paragraph` comes from Paragraph.objects.for_review() (or a label write) with
    `.suggestion` attached. `conflict` and the retry values answer a stale POST (409).
    """
    position = paragraph.position
    suggestion = paragraph.suggestion
    above = []
    # articles.revisions: "edited in revision 2", the diff and the previous label to confirm.
    mark = getattr(paragraph, "revision_mark", None)
    if mark:
        above.append(mark_html(paragraph, links, can_label=can_label))
    if suggestion:
        above.append(_suggestion(paragraph, links, can_label=can_label and expanded))
    if can_propagate and (paragraph.repeated_in or 0) > 1 and links.source:
        above.append(_propagate_link(paragraph, links))
    if conflict:
        above.append(
            _conflict(
                paragraph,
                links,
                conflict,
                retry_label,
                retry_label_name,
                None if expanded else retry_note,
            )
        )
    if can_label and expanded:
        below = _actions(paragraph, links, retry_note=retry_note, note_saved=note_saved)
    elif expanded and paragraph.note:
        below = format_html('<p class="paragraph-note">Note: {}</p>\n', paragraph.note)
    else:
        below = _note(paragraph)
    return format_html(
        '<li id="p-{0}" class="paragraph paragraph-{1}{2}" tabindex="0"\n'
        'data-position="{0}" data-label="{3}" data-version="{11}"{4}\n'
        'aria-label="Paragraph {0}, {5}{6}">\n{7}\n'
        '<div class="paragraph-body">\n<div class="paragraph-text">{10}</div>{8}\n'
        "{9}</div>\n</li>\n",
        position,
        paragraph.label or "none",
        (" paragraph-suggested" if suggestion else "")
        + (f" paragraph-{mark.change}" if mark else ""),
        paragraph.label,
        format_html(
            ' data-suggested="{}" data-confidence="{}"',
            suggestion.label,
            suggestion.percent,
        )
        if suggestion
        else "",
        _LABEL_NAMES.get(paragraph.label) or "unlabeled",
        (f", suggested {suggestion.label}" if suggestion else "")
        + (
            f", {mark.change.replace('_', ' ')} in revision {mark.revision}"
            if mark
            else ""
        ),
        _side(paragraph, links, linked=not expanded),
        # each part is escaped already
        SafeString("".join("\n" + part for part in above)),
        below,
        paragraph_html(paragraph.html),
        paragraph.version,
    )
