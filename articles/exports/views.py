"""The CSV downloads: the queue's filters in, a streamed CSV out (articles.exports.csv writes it)."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from articles.exports import csv
from articles.models import Article
from articles.queue.filters import queue_filters
from articles.queue.queries import matching


def _filtered(request: HttpRequest):
    return matching(
        Article.objects.all(), queue_filters(request.GET), user=request.user
    )


@require_GET
@permission_required("articles.export_article", raise_exception=True)
def articles_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv.articles_response(
        _filtered(request), base_url=request.build_absolute_uri("/")
    )


@require_GET
@permission_required("articles.export_article", raise_exception=True)
def paragraphs_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv.paragraphs_response(_filtered(request))
