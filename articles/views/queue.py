"""The queue: every article with its review progress, filtered, searched, sorted and paged."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from articles.filters import queue_filters
from articles.models import Article


@require_GET
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    filters = queue_filters(request.GET)
    articles = Article.objects.matching(filters, user=request.user)[:50]
    return render(request, "articles/queue.html", {"articles": articles})
