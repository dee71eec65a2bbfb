"""The CSV and JSON Lines downloads: the queue's filters in, a streamed CSV out (articles.exports.csv writes it).

The queue drops a filter it cannot use and says so on the page; a download has no page to say
it on, and without the filter it would hold more than was asked for, so it answers 400 naming
the field instead. The queue's export buttons carry only the filters it used.
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from articles.exports import csv, jsonl
from articles.models import Article
from articles.queue.filters import QueueFilterForm
from articles.queue.queries import matching


def _filtered(request: HttpRequest):
    """(the matching articles, None), or (None, a 400 naming every field it cannot use)."""
    form = QueueFilterForm(request.GET)
    if form.is_valid():
        # A second reviewer's open blind reviews stay out of their exports: the first
        # opinion is in every row (articles.quality).
        articles = Article.objects.exclude(
            pk__in=Article.objects.blind_to(request.user).values("pk")
        )
        return matching(articles, form.filters(), user=request.user), None
    reasons = "; ".join(
        f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
    )
    return None, HttpResponseBadRequest(
        f"Not exported. {reasons}", content_type="text/plain; charset=utf-8"
    )


@require_safe
@permission_required("articles.export_article", raise_exception=True)
def articles_csv(request: HttpRequest) -> HttpResponse:
    articles, refused = _filtered(request)
    if refused:
        return refused
    return csv.articles_response(articles, base_url=request.build_absolute_uri("/"))


@require_safe
@permission_required("articles.export_article", raise_exception=True)
def paragraphs_csv(request: HttpRequest) -> HttpResponse:
    articles, refused = _filtered(request)
    if refused:
        return refused
    return csv.paragraphs_response(
        articles, opinions=request.user.has_perm("articles.adjudicate_article")
    )


@require_safe
@permission_required("articles.export_article", raise_exception=True)
def paragraphs_jsonl(request: HttpRequest) -> HttpResponse:
    articles, refused = _filtered(request)
    if refused:
        return refused
    return jsonl.paragraphs_response(articles)
