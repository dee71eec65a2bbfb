"""Next and previous article: the queue the reviewer came from, not the global order.

The queue's link to an article carries the queue's query string (its search, filters, sort,
"assigned to me"); the review page passes it on to its Next/Previous/Queue links, and here it
is read back with the queue's own form (articles.queue.filters), so a tampered value is
dropped exactly as the queue drops it.

The walk: the articles that pass the queue's filters in the queue's order, with the current
article's place found even when it left the filter by being labeled (a queue of "Unlabeled"
articles: the one just labeled is "In progress" now). The status filter is applied to the
candidates only; without one, reviewed articles are skipped (they need nothing). Articles
another reviewer changed labels in within NEWSREVIEW_RECENT_ACTIVITY_MINUTES are skipped too,
so two reviewers pressing `n` do not land on the same article.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article, ReviewStatus
from articles.queue import queries
from articles.queue.filters import DEFAULT_SORT, filter_params, queue_filters
from articles.review.people import busy_articles


def queue_query(params: QueryDict) -> str:
    """The queue's query string from `params` (valid filters only), "" for the plain queue."""
    if not params:
        # The plain queue (most review pages): no form to build (3% of the review page).
        return ""
    return filter_params(queue_filters(params)).urlencode()


@dataclass(frozen=True)
class Step:
    target: int | None  # the article to go to, or None: the list is done
    skipped_busy: int  # articles passed over because someone else works in them


def step(*, article: Article, params: QueryDict, user, forward: bool) -> Step:
    """The article after (or before) `article` (its pk and imported_at are read) in the queue
    described by `params`."""
    current = article.pk
    filters = queue_filters(params)
    status = filters.pop("status", None)
    sort = filters.get("sort", DEFAULT_SORT)
    minutes = settings.NEWSREVIEW_RECENT_ACTIVITY_MINUTES
    busy = busy_articles(
        user=user, since=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    if sort in _BY_IMPORT and "q" not in filters:
        return _step_by_import(article, filters, status, busy, user, forward=forward)
    scope, left, _ = queries.queue_scope(
        Article.objects.all(),
        filters,
        user=user,
        cap=settings.NEWSREVIEW_SEARCH_CAP,
    )
    ordered = list(
        queries.in_order(queries.matching(scope, left, user=user), sort).values_list(
            "pk", "status"
        )
    )
    if not forward:
        ordered.reverse()
    ids = [pk for pk, _ in ordered]
    start = ids.index(current) + 1 if current in ids else 0
    return _first_free(
        (
            pk
            for pk, article_status in ordered[start:]
            if pk != current and _wanted(article_status, status)
        ),
        busy,
    )


# The import-order sorts (the queue's default): walked with a keyset from the current article,
# reading only as many rows as it takes to pass the busy ones, whatever the queue's size. The
# other sorts (title, progress, …) read the ordered ids of every match.
_BY_IMPORT = {"-imported": True, "imported": False}


def _step_by_import(article, filters, status, busy, user, *, forward) -> Step:
    matches = queries.matching(Article.objects.all(), filters, user=user)
    if status:
        matches = matches.filter(status=status)
    else:
        matches = matches.exclude(status=ReviewStatus.REVIEWED)
    newest_first = _BY_IMPORT[filters.get("sort", DEFAULT_SORT)]
    candidates = (
        matches.after_in_queue(article)
        if forward == newest_first
        else matches.before_in_queue(article)
    )
    ids = candidates.values_list("pk", flat=True)[: len(busy) + 1]
    return _first_free(iter(ids), busy)


def _wanted(article_status: str, status: str | None) -> bool:
    """A status filter keeps its status; without one, what still needs review."""
    if status:
        return article_status == status
    return article_status != ReviewStatus.REVIEWED


def _first_free(candidates, busy: set[int]) -> Step:
    """The first candidate nobody else is working in, and how many were passed over."""
    skipped = 0
    for pk in candidates:
        if pk not in busy:
            return Step(pk, skipped)
        skipped += 1
    return Step(None, skipped)


def _step(request: HttpRequest, pk: int, *, forward: bool) -> HttpResponse:
    """Redirect to the next (or previous) article of the queue, or back to it when done."""
    article = get_object_or_404(Article.objects.only("pk", "imported_at"), pk=pk)
    query = queue_query(request.GET)
    found = step(
        article=article, params=request.GET, user=request.user, forward=forward
    )
    if found.skipped_busy:
        n = found.skipped_busy
        messages.info(
            request,
            f"Skipped {n} article{'s' * (n != 1)} another reviewer is working in right now.",
        )
    if found.target is None:
        where = "this queue" if query else "the queue"
        direction = "after" if forward else "before"
        messages.info(
            request,
            f"The list is done: no article {direction} this one in {where} needs review.",
        )
        queue_url = reverse("articles:queue")
        return redirect(f"{queue_url}?{query}" if query else queue_url)
    target = reverse("articles:detail", args=[found.target])
    return redirect(f"{target}?{query}" if query else target)


@require_safe
def next_article(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, forward=True)


@require_safe
def previous_article(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, forward=False)
