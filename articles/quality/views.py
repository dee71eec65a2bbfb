"""Quality control's pages for Leads and everyone: the overview, a Lead's sign-off and return
(from the review page), the send to second review (from the queue), agreement and its CSV.

The blind second review is in articles.quality.blind, the adjudication in
articles.quality.settle.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from articles.exports.csv import csv_chunks, csv_response, export_filename, text_cell
from articles.models import Article
from articles.quality import agreement, reads, second, signoff
from articles.quality.adjudication import disagreement_count
from articles.quality.forms import DecisionForm, SendForm
from articles.quality.rows import agreement_rows
from articles.queue.filters import QueueFilterForm, filter_params
from articles.queue.queries import matching
from articles.responses import bad_request
from articles.review.people import assignable_users


def _back(request: HttpRequest, fallback: str) -> str:
    """The page the form came from (the `next` field), if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Everyone's second reviews to do; for Leads, what waits for them."""
    context = {
        "open_reviews": reads.second_reviews_of(request.user, finished=False),
        "finished_reviews": reads.second_reviews_of(
            request.user, finished=True, limit=20
        ),
    }
    if request.user.has_perm("articles.signoff_article"):
        context["counts"] = reads.lead_counts()
    if request.user.has_perm("articles.adjudicate_article"):
        context["disagreements"] = disagreement_count()
    return render(request, "articles/quality/overview.html", context)


def _decide(request: HttpRequest, pk: int, *, returning: bool) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return bad_request(form, "Nothing decided.")
    detail = reverse("articles:detail", args=[pk])
    seen = {
        "seen_reviewed_at": form.cleaned_data["seen_reviewed_at"],
        "seen_hash": form.cleaned_data["seen_hash"],
    }
    try:
        if returning:
            signoff.return_article(
                article_id=pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                **seen,
            )
        else:
            decision = signoff.sign_off(
                article_id=pk,
                user=request.user,
                override_reason=form.cleaned_data["override_reason"],
                **seen,
            )
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    except signoff.Unsettled as unsettled:
        # A standards desk settles disagreements before signing off: say how many and where,
        # and offer the explicit override (409, like a stale decision: nothing saved).
        return render(
            request,
            "articles/quality/unsettled.html",
            {
                "article": Article.objects.only("pk", "title").get(pk=pk),
                "article_url": detail,
                "unsettled": unsettled.count,
                "reason_given": bool(form.data.get("override_reason")),
                **form.cleaned_data,
            },
            status=409,
        )
    except signoff.DecisionRefused as refused:
        if returning and not form.cleaned_data["reason"]:
            return HttpResponseBadRequest(
                f"Not returned. reason: {refused}",
                content_type="text/plain; charset=utf-8",
            )
        messages.error(request, str(refused))
        return redirect(detail)
    except signoff.StaleArticle as stale:
        # The label POST's rule: a decision on what someone else has changed since is not
        # saved; say so (409) and send the Lead back to look again.
        return render(
            request,
            "articles/quality/stale.html",
            {"article": stale.article, "article_url": detail, "returning": returning},
            status=409,
        )
    if returning:
        messages.success(request, "Returned to the reviewer with your reason.")
    elif decision.unsettled:
        n = decision.unsettled
        messages.warning(
            request,
            f"Signed off with {n} disagreement{'s' * (n != 1)} not settled; your reason "
            "is recorded with the sign-off.",
        )
    else:
        messages.success(request, "Signed off.")
    return redirect(_back(request, detail))


@require_POST
@permission_required("articles.signoff_article", raise_exception=True)
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, returning=False)


@require_POST
@permission_required("articles.signoff_article", raise_exception=True)
def return_article(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, returning=True)


def _from_queue_selection(data: QueryDict) -> QueryDict:
    """The queue's one selection form (articles.queue.bulk) in SendForm's terms: its ticked
    rows (`ids`) are the chosen articles and its scope says which mode: the ticked rows, or
    a share of every matching article."""
    if "mode" in data or "scope" not in data:
        return data
    data = data.copy()
    data["mode"] = "chosen" if data["scope"] == "selected" else "share"
    data.setlist("article", data.getlist("ids"))
    return data


@require_POST
@permission_required("articles.second_review_article", raise_exception=True)
def send(request: HttpRequest) -> HttpResponse:
    """Send the ticked articles, or a share of each source's reviewed ones within the queue's
    filters, to a second review by the chosen reviewer."""
    form = SendForm(_from_queue_selection(request.POST), reviewers=assignable_users())
    # The queue's selection form carries its filters as the queue's query string.
    filters = QueueFilterForm(
        QueryDict(request.POST["query"]) if "query" in request.POST else request.POST
    )
    if not form.is_valid():
        return bad_request(form, "Nothing sent.")
    if not filters.is_valid():
        return bad_request(filters, "Nothing sent.")
    reviewer = form.cleaned_data["reviewer"]
    if form.cleaned_data["mode"] == "share":
        scope = matching(Article.objects.all(), filters.filters(), user=request.user)
        ids = second.draw_share(
            scope, percent=form.cleaned_data["percent"], reviewer=reviewer
        )
    else:
        ids = form.cleaned_data["article"]
    result = second.send_to_second_review(
        article_ids=ids, reviewer=reviewer, by=request.user
    )
    name = reviewer.get_username()
    if result.sent:
        messages.success(
            request,
            f"Sent {result.sent} article{'s' * (result.sent != 1)} to {name} "
            "for a blind second review.",
        )
    else:
        messages.info(request, f"No article was sent to {name}.")
    for reason, n in result.skipped.items():
        messages.warning(request, f"{n} not sent: {reason}.")
    queue = reverse("articles:queue")
    if request.POST.get("query"):
        queue += "?" + filter_params(filters.filters()).urlencode()
    return redirect(_back(request, queue))


@require_safe
@permission_required("articles.second_review_article", raise_exception=True)
def agreement_page(request: HttpRequest) -> HttpResponse:
    """The team's figures and table, one line per pair and per source, and the table of the
    pair or source chosen with ?show=pair:NAME or ?show=source:NAME."""
    report = agreement.agreement_report()
    show = request.GET.get("show", "")[:600]
    url = reverse("articles:agreement")
    lines = {"url": url, "minimum": report.minimum}
    return render(
        request,
        "articles/quality/agreement.html",
        {
            "report": report,
            "pair_rows": agreement_rows(report.pairs, kind="pair", **lines),
            "source_rows": agreement_rows(report.sources, kind="source", **lines),
            "show": show,
            "shown": report.find(show) if show else None,
            "formulas": agreement.FORMULAS,
            "labels": agreement.LABELS,
        },
    )


@require_safe
@permission_required("articles.second_review_article", raise_exception=True)
def agreement_csv(request: HttpRequest) -> HttpResponse:
    report = agreement.agreement_report()
    # Names (people, sources) are defused like every free-text cell; the figures are numbers,
    # and a negative kappa must stay a number (text_cell would prefix its "-").
    lines = (
        ",".join([*(text_cell(cell) for cell in row[:4]), *row[4:]]) + "\r\n"
        for row in agreement.csv_rows(report)
    )
    return csv_response(
        csv_chunks(agreement.CSV_COLUMNS, lines),
        filename=export_filename("agreement"),
    )
