"""The review page: one article, paragraph by paragraph, and the POSTs that label it.

Every action is a real form, so the page works with JavaScript off; with htmx, a label POST
answers with the paragraph plus out-of-band progress and status instead of a redirect.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.middleware import HtmxDetails

from articles.boilerplate.suggestions import attach_repetition, attach_suggestions
from articles.boilerplate.threshold import accept_threshold, current_threshold
from articles.models import Article, Label, LabelEvent, Paragraph
from articles.review import labels
from articles.review.forms import (
    AcceptForm,
    AssignForm,
    LabelForm,
    NoteForm,
    RestForm,
)
from articles.review.paragraphs import LABEL_CHOICES, PageLinks, paragraph_item
from articles.review.people import assignable_users, recent_activity
from articles.review.reads import article_paragraphs, paragraph_at

TEMPLATE = "articles/review.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _bad_request(form, outcome: str = "Not saved.") -> HttpResponseBadRequest:
    reasons = "; ".join(
        f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
    )
    return HttpResponseBadRequest(
        f"{outcome} {reasons}", content_type="text/plain; charset=utf-8"
    )


def _detail_url(article_id: int, position: int | None = None) -> str:
    url = reverse("articles:detail", args=[article_id])
    return f"{url}#p-{position}" if position else url


def _page_context(request: HttpRequest, pk: int) -> dict:
    article = get_object_or_404(Article.objects.for_review(), pk=pk)
    paragraphs = article_paragraphs(article)
    can_assign = request.user.has_perm("articles.assign_article")
    minutes = settings.NEWSREVIEW_RECENT_ACTIVITY_MINUTES
    recent = recent_activity(
        article_id=article.pk,
        user=request.user,
        since=timezone.now() - datetime.timedelta(minutes=minutes),
    )
    attach_suggestions(paragraphs, article=article)
    threshold = accept_threshold()
    can_label = request.user.has_perm("articles.label_article")
    can_propagate = request.user.has_perm("articles.propagate_article")
    links = PageLinks.for_article(article, get_token(request))
    return {
        "article": article,
        "paragraphs": paragraphs,
        "paragraph_items": [
            paragraph_item(
                paragraph, links, can_label=can_label, can_propagate=can_propagate
            )
            for paragraph in paragraphs
        ],
        "recent_activity": recent,
        "assignees": list(assignable_users()) if can_assign else [],
        "can_label": can_label,
        "can_assign": can_assign,
        "can_reset": request.user.has_perm("articles.reset_article"),
        "first_unlabeled": next((p.position for p in paragraphs if not p.label), None),
        "suggestion_count": sum(1 for p in paragraphs if p.suggestion),
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
    return render(request, TEMPLATE, _page_context(request, pk))


def _conflict_response(
    request: HtmxHttpRequest, paragraph: Paragraph, **retry
) -> HttpResponse:
    """Someone else changed the paragraph since the reviewer saw it: say who and to what, show
    their version, and offer to retry the reviewer's own change (409 for htmx, else a message)."""
    conflict = _conflict_message(paragraph)
    if not request.htmx:
        messages.error(request, f"Paragraph {paragraph.position}: {conflict}")
        return redirect(_detail_url(paragraph.article_id, paragraph.position))
    context = _paragraph_context(request, paragraph, conflict=conflict, **retry)
    return render(request, f"{TEMPLATE}#label-result", context, status=409)


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def label(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    form = LabelForm(request.POST)
    if not form.is_valid():
        return _bad_request(form)
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
        return redirect(_detail_url(pk, position))
    return render(
        request, f"{TEMPLATE}#label-result", _paragraph_context(request, paragraph)
    )


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def note(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _bad_request(form)
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
        return redirect(_detail_url(pk, position))
    context = _paragraph_context(request, paragraph, note_saved=True)
    return render(request, f"{TEMPLATE}#label-result", context)


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def boilerplate_rest(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    form = RestForm(request.POST)
    if not form.is_valid():
        return _bad_request(form)
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
        return redirect(_detail_url(pk, from_position))
    context = {**_page_context(request, pk), "oob": True}
    return render(request, f"{TEMPLATE}#paragraphs-result", context)


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def accept_suggestions(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Accept the boilerplate suggestion of one paragraph (`position`) or of every paragraph."""
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _bad_request(form)
    get_object_or_404(Article.objects.only("pk"), pk=pk)
    position = form.cleaned_data["position"]
    # Every suggestion (Shift+A) means those at or above the Lead's threshold, read fresh.
    changed = labels.accept_suggestions(
        article_id=pk,
        user=request.user,
        positions=None if position is None else [position],
        min_percent=0 if position is not None else current_threshold(),
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
        return redirect(_detail_url(pk, position))
    if position is not None:
        try:
            paragraph = paragraph_at(pk, position)
        except Paragraph.DoesNotExist:
            raise Http404("No such paragraph") from None
        context = _paragraph_context(request, paragraph)
        return render(request, f"{TEMPLATE}#label-result", context)
    context = {**_page_context(request, pk), "oob": True}
    return render(request, f"{TEMPLATE}#paragraphs-result", context)


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("assigned_to"), pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _bad_request(form, "Not assigned.")
    choice = form.cleaned_data["assignee"]
    can_assign = request.user.has_perm("articles.assign_article")
    # Taking an unassigned article is part of reviewing; anything else is a Lead's call.
    taking = choice == "me" and article.assigned_to_id in (None, request.user.pk)
    if taking and request.user.has_perm("articles.label_article"):
        assignee = request.user
    elif not can_assign:
        raise PermissionDenied("Only leads can assign articles to others.")
    elif choice == "me":
        assignee = request.user
    elif choice == "":
        assignee = None
    else:
        assignee = assignable_users().filter(pk=choice).first()
        if assignee is None:
            return HttpResponseBadRequest(
                "Not assigned. assignee: choose an active member of the Reviewer or Lead group.",
                content_type="text/plain; charset=utf-8",
            )
    labels.assign_articles(
        articles=Article.objects.filter(pk=pk), assignee=assignee, by=request.user
    )
    if assignee is None:
        messages.success(request, "The article is now unassigned.")
    else:
        messages.success(request, f"Assigned to {assignee.get_username()}.")
    return redirect(_detail_url(pk))


@require_POST
@permission_required("articles.reset_article", raise_exception=True)
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    cleared = labels.reset_article(article=article, user=request.user)
    messages.success(
        request,
        f"Cleared {cleared} label{'s' * (cleared != 1)}; the review starts over.",
    )
    return redirect(_detail_url(pk))


def _step(request: HttpRequest, pk: int, *, forward: bool) -> HttpResponse:
    article = get_object_or_404(Article.objects.only("pk", "imported_at"), pk=pk)
    candidates = Article.objects.needing_review()
    candidates = (
        candidates.after_in_queue(article)
        if forward
        else candidates.before_in_queue(article)
    )
    target = candidates.only("pk").first()
    if target is None:
        messages.info(request, "No more articles need review.")
        return redirect("articles:queue")
    return redirect(target)


@require_safe
def next_article(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, forward=True)


@require_safe
def previous_article(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, forward=False)
