"""The review page: one article, paragraph by paragraph, and the POSTs that label it.

The article's page shows the paragraphs as text with one toolbar (static/js/review.js posts
for the focused paragraph); each paragraph's number links to its own page, where every action
is a real form, so reviewing works with JavaScript off. With htmx, a label POST answers with
the paragraph plus out-of-band progress and status instead of a redirect.
"""

import datetime
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from articles.boilerplate.suggestions import attach_repetition, attach_suggestions
from articles.boilerplate.threshold import accept_threshold, current_threshold
from articles.links import detail_url
from articles.models import Article, Label, LabelEvent, Paragraph, ReviewerPreferences
from articles.quality.panel import is_blind, review_panel
from articles.responses import bad_request
from articles.review import labels, navigation
from articles.review import undo as undoing
from articles.review.forms import (
    AcceptForm,
    LabelForm,
    NoteForm,
    RestForm,
)
from articles.review.paragraphs import LABEL_CHOICES, PageLinks, paragraph_item
from articles.review.people import assignable_users, recent_activity
from articles.review.reads import article_paragraphs, paragraph_at
from articles.revisions.marks import attach_revision_marks
from articles.revisions.reads import revision_history

TEMPLATE = "articles/review.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def not_while_blind(view):
    """Refuse `view` (403) to the article's blind second reviewer: the first labels, names and
    notes are not theirs to see or change (articles.quality); they label on their own page."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        if Article.objects.is_blind_to(pk, request.user):
            raise PermissionDenied(
                "You are second-reviewing this article blind: label it on your second "
                "review's page."
            )
        return view(request, pk, *args, **kwargs)

    return guarded


def _page_context(request: HttpRequest, pk: int) -> dict:
    article = get_object_or_404(Article.objects.for_review(), pk=pk)
    paragraphs = article_paragraphs(article, viewer=request.user)
    can_assign = request.user.has_perm("articles.assign_article")
    minutes = settings.NEWSREVIEW_RECENT_ACTIVITY_MINUTES
    recent = recent_activity(
        article=article,
        user=request.user,
        since=timezone.now() - datetime.timedelta(minutes=minutes),
    )
    attach_suggestions(paragraphs, article=article)
    attach_revision_marks(paragraphs, article=article)
    threshold = accept_threshold()
    can_label = request.user.has_perm("articles.label_article")
    can_propagate = request.user.has_perm("articles.propagate_article")
    links = PageLinks.for_article(article, get_token(request))
    suggested = [p for p in paragraphs if p.suggestion]
    return {
        "article": article,
        "paragraphs": paragraphs,
        "paragraph_items": [
            paragraph_item(
                paragraph, links, can_label=can_label, can_propagate=can_propagate
            )
            for paragraph in paragraphs
        ],
        "suggested": suggested,
        "queue_query": navigation.queue_query(request.GET),
        "shortcuts": ReviewerPreferences.shortcuts_on(request.user),
        "recent_activity": recent,
        "quality": review_panel(article, request.user),
        "assignees": list(assignable_users()) if can_assign else [],
        "can_label": can_label,
        "can_assign": can_assign,
        "can_reset": request.user.has_perm("articles.reset_article"),
        "first_unlabeled": next((p.position for p in paragraphs if not p.label), None),
        "revisions": revision_history(article),
        "suggestion_count": len(suggested),
        "accept_threshold": threshold,
        "confident_count": sum(
            1 for p in paragraphs if p.suggestion and p.suggestion.percent >= threshold
        ),
    }


def _paragraph_context(request: HttpRequest, paragraph: Paragraph, **item) -> dict:
    """The answer to one paragraph's POST: its `<li>`, with progress and status swapped OOB.

    `item` passes a conflict message, the retry values or note_saved to paragraph_item()."""
    article = paragraph.article
    can_propagate = request.user.has_perm("articles.propagate_article")
    # A labeled paragraph has no suggestion: its text's counts are read only for a Lead's
    # "apply to all N articles" link (a query saved on most label POSTs).
    if can_propagate or not paragraph.label:
        attach_repetition([paragraph], source=article.source)
    attach_suggestions([paragraph], article=article)
    attach_revision_marks([paragraph], article=article)
    links = PageLinks.for_article(article, get_token(request))
    return {
        "article": article,
        "paragraph_item": paragraph_item(
            paragraph,
            links,
            can_label=True,
            can_propagate=can_propagate,
            **item,
        ),
        "oob": True,
    }


def _conflict_message(paragraph: Paragraph) -> str:
    event = paragraph.events.select_related("user").first()
    revised = (LabelEvent.Method.CARRIED, LabelEvent.Method.REVISION)
    if paragraph.change and (event is None or event.method in revised):
        # A re-import (articles.revisions) moved or changed the text the reviewer saw.
        return (
            f"The article was re-imported as revision {paragraph.article.revision} while "
            "you were reading, and this paragraph changed; your change was not saved."
        )
    who = event.user.get_username() if event and event.user else "Someone"
    if event is None or event.field == LabelEvent.Field.NOTE:
        change = "edited this paragraph's note"
    elif event.new_value:
        change = f"changed this paragraph to {Label(event.new_value).label}"
    else:
        change = "cleared this paragraph's label"
    return f"{who} {change} while you were reading; your change was not saved."


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = _page_context(request, pk)
    if is_blind(context["article"], request.user):
        # Their second opinion must be their own: not this page, which shows the first.
        return redirect("articles:second_review", pk)
    return render(request, TEMPLATE, context)


@require_safe
@not_while_blind
def paragraph_page(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """One paragraph with all its forms: labeling without JavaScript (or on a small screen)."""
    try:
        paragraph = Paragraph.objects.select_related("article", "labeled_by").get(
            article_id=pk, position=position
        )
    except Paragraph.DoesNotExist:
        raise Http404("No such paragraph") from None
    article = paragraph.article
    attach_repetition([paragraph], source=article.source)
    attach_suggestions([paragraph], article=article)
    links = PageLinks.for_article(article, get_token(request))
    item = paragraph_item(
        paragraph,
        links,
        can_label=request.user.has_perm("articles.label_article"),
        can_propagate=request.user.has_perm("articles.propagate_article"),
        expanded=True,
    )
    count = article.paragraph_count
    return render(
        request,
        "articles/paragraph.html",
        {
            "article": article,
            "paragraph": paragraph,
            "paragraph_item": item,
            "previous": position - 1 if position > 1 else None,
            "next": position + 1 if position < count else None,
        },
    )


def _conflict_response(
    request: HtmxHttpRequest, paragraph: Paragraph, **retry
) -> HttpResponse:
    """Someone else changed the paragraph since the reviewer saw it: say who and to what, show
    their version, and offer to retry the reviewer's own change (409 for htmx, else a message)."""
    conflict = _conflict_message(paragraph)
    if not request.htmx:
        messages.error(request, f"Paragraph {paragraph.position}: {conflict}")
        return redirect(detail_url(paragraph.article_id, paragraph.position))
    context = _paragraph_context(request, paragraph, conflict=conflict, **retry)
    return render(request, f"{TEMPLATE}#label-result", context, status=409)


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def label(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    form = LabelForm(request.POST)
    if not form.is_valid():
        return bad_request(form)
    wanted = form.cleaned_data["label"]
    try:
        paragraph = labels.set_label(
            article_id=pk,
            position=position,
            label=wanted,
            user=request.user,
            method=form.cleaned_data["method"] or LabelEvent.Method.CLICK,
            expected_version=form.cleaned_data["version"],
        )
    except Paragraph.DoesNotExist:
        raise Http404("No such paragraph") from None
    except labels.StaleParagraph as stale:
        return _conflict_response(
            request,
            stale.paragraph,
            retry_label=wanted,
            retry_label_name=dict(LABEL_CHOICES)[wanted],
        )
    if not request.htmx:
        return redirect(detail_url(pk, position))
    return render(
        request, f"{TEMPLATE}#label-result", _paragraph_context(request, paragraph)
    )


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def note(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return bad_request(form)
    try:
        paragraph = labels.set_note(
            article_id=pk,
            position=position,
            note=form.cleaned_data["note"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except Paragraph.DoesNotExist:
        raise Http404("No such paragraph") from None
    except labels.StaleParagraph as stale:
        return _conflict_response(
            request, stale.paragraph, retry_note=form.cleaned_data["note"]
        )
    if not request.htmx:
        return redirect(detail_url(pk, position))
    context = _paragraph_context(request, paragraph, note_saved=True)
    return render(request, f"{TEMPLATE}#label-result", context)


@require_POST
@permission_required("articles.label_article", raise_exception=True)
@not_while_blind
def boilerplate_rest(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    form = RestForm(request.POST)
    if not form.is_valid():
        return bad_request(form)
    from_position = form.cleaned_data["from_position"]
    get_object_or_404(Article.objects.only("pk"), pk=pk)
    changed = labels.label_rest_as_boilerplate(
        article_id=pk, from_position=from_position, user=request.user
    )
    if not request.htmx:
        messages.success(
            request,
            f"Marked {changed} paragraph{'s' * (changed != 1)} as boilerplate "
            f"from paragraph {from_position} on.",
        )
        return redirect(detail_url(pk, from_position))
    context = {**_page_context(request, pk), "oob": True}
    return render(request, f"{TEMPLATE}#paragraphs-result", context)


@require_POST
@permission_required("articles.label_article", raise_exception=True)
@not_while_blind
def accept_suggestions(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Accept the boilerplate suggestion of one paragraph (`position`) or of every paragraph."""
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return bad_request(form)
    get_object_or_404(Article.objects.only("pk"), pk=pk)
    position = form.cleaned_data["position"]
    chosen = form.chosen()
    changed = labels.accept_suggestions(
        article_id=pk,
        user=request.user,
        positions=chosen,
        # Paragraphs the reviewer ticked in the preview (or the one `a` names) are accepted
        # whatever their confidence: they were read. Without a choice, Shift+A means the
        # suggestions at or above the Lead's threshold (articles.boilerplate.threshold).
        min_percent=0 if chosen is not None else current_threshold(),
    )
    if not request.htmx:
        if changed:
            messages.success(
                request,
                f"Accepted {changed} suggestion{'s' * (changed != 1)}: "
                f"{'they are' if changed != 1 else 'it is'} labeled now.",
            )
        elif position is None:
            messages.info(
                request,
                f"No suggestion with {current_threshold()}% confidence or more was left "
                "to accept.",
            )
        else:
            messages.info(request, "No suggestion was left to accept.")
        return redirect(detail_url(pk, position))
    if position is not None and not form.cleaned_data["positions"]:
        try:
            paragraph = paragraph_at(pk, position)
        except Paragraph.DoesNotExist:
            raise Http404("No such paragraph") from None
        context = _paragraph_context(request, paragraph)
        return render(request, f"{TEMPLATE}#label-result", context)
    context = {**_page_context(request, pk), "oob": True}
    return render(request, f"{TEMPLATE}#paragraphs-result", context)


@require_POST
@permission_required("articles.reset_article", raise_exception=True)
@not_while_blind
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    cleared = labels.reset_article(article=article, user=request.user)
    messages.success(
        request,
        f"Cleared {cleared} label{'s' * (cleared != 1)}; the review starts over.",
    )
    return redirect(detail_url(pk))


@require_POST
@permission_required("articles.label_article", raise_exception=True)
@not_while_blind
def undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Take back this reviewer's last action on the article (articles.review.undo)."""
    get_object_or_404(Article.objects.only("pk"), pk=pk)
    try:
        undone = undoing.undo_last(article_id=pk, user=request.user)
    except undoing.UndoRefused as refused:
        if not request.htmx:
            messages.error(request, refused.message)
            return redirect(detail_url(pk, refused.position))
        return HttpResponse(
            refused.message, status=409, content_type="text/plain; charset=utf-8"
        )
    if not request.htmx:
        messages.success(request, undone.message)
        return redirect(detail_url(pk, undone.positions[0]))
    context = {**_page_context(request, pk), "oob": True}
    response = render(request, f"{TEMPLATE}#paragraphs-result", context)
    return trigger_client_event(
        response,
        "review:undone",
        {"message": undone.message, "position": undone.positions[0]},
    )
