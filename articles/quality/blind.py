"""The second reviewer's blind page and its POSTs.

Blind means: the page, every htmx answer and every message here is made from the paragraph's
text and the second reviewer's own opinion only (articles.quality.reads.BlindItem). The first
labels, the first reviewer's name and notes are never read for it. Only the assigned second
reviewer opens it; while their review is open the ordinary review page sends them here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from articles.models import SecondOpinion, SecondReview
from articles.quality import reads, second
from articles.quality.forms import OpinionForm
from articles.responses import bad_request
from articles.review.paragraphs import LABEL_CHOICES

TEMPLATE = "articles/quality/blind.html"


def _review(request: HttpRequest, pk: int) -> SecondReview:
    try:
        review = reads.second_review_of(pk)
    except SecondReview.DoesNotExist:
        raise Http404("This article has no second review.") from None
    if review.reviewer_id != request.user.pk:
        # Someone else's blind opinion is not to be seen, by reviewers or Leads (Leads see
        # both opinions once submitted, on the adjudication page).
        raise PermissionDenied("This second review is someone else's.")
    return review


def _page_url(pk: int, position: int | None = None) -> str:
    url = reverse("articles:second_review", args=[pk])
    return f"{url}#p-{position}" if position else url


@require_safe
@permission_required("articles.label_article", raise_exception=True)
def page(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    items = reads.blind_items(review)
    return render(
        request,
        TEMPLATE,
        {
            "review": review,
            "article": review.article,
            "items": items,
            "labeled": sum(1 for item in items if item.label),
            "choices": LABEL_CHOICES,
            "next_article": reads.next_open_review(request.user, after_article=pk),
        },
    )


def _answer(
    request: HttpRequest, review: SecondReview, position: int, *, status=200, **extra
) -> HttpResponse:
    """The paragraph's `<li>` for htmx, else back to the page at that paragraph."""
    if not request.htmx:
        if extra.get("conflict"):
            messages.error(request, f"Paragraph {position}: {extra['conflict']}")
        return redirect(_page_url(review.article_id, position))
    items = reads.blind_items(review, position=position)
    if not items:
        raise Http404("No such paragraph")
    context = {
        "item": items[0],
        "choices": LABEL_CHOICES,
        "review": review,
        "article": review.article,
        "labeled": reads.labeled_count(review),
        "oob": True,
        **extra,
    }
    return render(request, f"{TEMPLATE}#blind-answer", context, status=status)


def _save(request: HttpRequest, pk: int, position: int, *, field: str) -> HttpResponse:
    review = _review(request, pk)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return bad_request(form, "Not saved.")
    write = second.set_second_label if field == "label" else second.set_second_note
    try:
        write(
            article_id=pk,
            position=position,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            **{field: form.cleaned_data[field]},
        )
    except SecondOpinion.DoesNotExist:
        raise Http404("No such paragraph") from None
    except second.SecondReviewClosed as closed:
        if request.htmx:
            # Submitted from another tab: show the paragraph as it stays, and say why.
            return _answer(request, review, position, status=409, conflict=str(closed))
        messages.error(request, str(closed))
        return redirect(_page_url(pk))
    except second.StaleOpinion:
        # Only the second reviewer writes here: another tab of theirs was first.
        conflict = (
            "You changed this paragraph in another tab; this change was not saved."
        )
        return _answer(request, review, position, status=409, conflict=conflict)
    return _answer(request, review, position, saved=field == "note")


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def label(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    return _save(request, pk, position, field="label")


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def note(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    return _save(request, pk, position, field="note")


@require_POST
@permission_required("articles.label_article", raise_exception=True)
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    _review(request, pk)
    try:
        second.finish_second_review(article_id=pk, user=request.user)
    except second.NotFinished as missing:
        messages.error(request, f"Not submitted: {missing}")
        return redirect(_page_url(pk))
    except second.SecondReviewClosed as closed:
        messages.info(request, str(closed))
        return redirect(_page_url(pk))
    messages.success(
        request, "Second review submitted. Thank you: a Lead settles any differences."
    )
    following = reads.next_open_review(request.user, after_article=pk)
    if following is not None:
        return redirect(_page_url(following))
    return redirect("articles:quality")
