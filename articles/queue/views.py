"""The queue: every article with its review progress, filtered, searched, sorted and paged."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from articles.auth import assignable_users
from articles.models import Article, ReviewStatus
from articles.queue import controls, queries
from articles.queue.bulk import MAX_SELECTED, actions_for
from articles.queue.filters import (
    DEFAULT_SORT,
    QueueFilterForm,
    filter_params,
)
from articles.queue.rows import Rows

PER_PAGE = 50


class CountedPaginator(Paginator):
    """A paginator told its total, which the status totals query already counted."""

    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@require_safe
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    sort = filters.get("sort", DEFAULT_SORT)
    cap = settings.NEWSREVIEW_SEARCH_CAP
    scope, left, cut = queries.queue_scope(
        Article.objects.all(), filters, user=request.user, cap=cap
    )
    facets = queries.queue_facets(scope, left, user=request.user)
    totals = _status_totals(facets["status"])
    ordered = queries.in_order(queries.matching(scope, left, user=request.user), sort)
    paginator = CountedPaginator(
        ordered.values("pk"),
        PER_PAGE,
        count=totals[filters["status"]] if "status" in filters else totals["all"],
    )
    page, page_note = _page(paginator, request.GET.get("page", ""))
    now = timezone.now()
    params = filter_params(filters)
    query = params.urlencode()
    bulk_actions = actions_for(request.user)
    can_send = request.user.has_perm("articles.second_review_article")
    rows = ""
    if paginator.count:
        on_page = queries.page_rows(page.object_list, sort)
        rows = Rows(
            now,
            query=query,
            selectable=bool(bulk_actions) or can_send,
            blind=queries.blind_among(on_page, request.user),
        ).html(on_page)

    selected = {**{name: params.get(name, "") for name in form.fields}, "sort": sort}
    queue_url = reverse("articles:queue")
    links = controls.QueryLinks(queue_url, params)
    template_name = "articles/queue.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#queue-results"
    response = render(
        request,
        template_name,
        {
            "form": form,
            "queue_url": queue_url,
            "filters": filters,
            "params": params,
            "selected": selected,
            "options": {
                name: controls.select_options(name, selected[name])
                for name in ("status", "assigned", "changed", "quality", "sort")
            }
            | {
                "source": controls.source_options(
                    controls.sources(facets["source"], filters.get("source", "")),
                    selected["source"],
                    cut=cut,
                )
            },
            "filtered": bool(params.keys() - {"sort"}),
            "ignored": form.ignored(),
            "page_note": page_note,
            "cut": cut,
            "search_cap": cap,
            "page": page,
            "pages": controls.page_links(
                page, paginator.get_elided_page_range(page.number), links
            ),
            "rows": rows,
            "totals": controls.total_links(totals, filters.get("status", ""), links),
            "columns": controls.columns(sort, links),
            "is_htmx": bool(request.htmx),
            "can_send": can_send,
            "query": query,
            "bulk_actions": bulk_actions,
            "max_selected": MAX_SELECTED,
            "assignees": list(assignable_users()) if bulk_actions or can_send else [],
        },
    )
    if request.htmx:
        # The form sends every field, empty or not; the address bar gets the short form of
        # the same view (valid filters only), which is what a reload or a shared link needs.
        response = push_url(response, _canonical_url(params, page.number))
    return response


def _canonical_url(params, page_number: int) -> str:
    params = params.copy()
    if params.get("sort") == DEFAULT_SORT:
        del params["sort"]
    if page_number > 1:
        params["page"] = str(page_number)
    query = params.urlencode()
    return reverse("articles:queue") + (f"?{query}" if query else "")


def _status_totals(by_status: dict[str, int]) -> dict[str, int]:
    totals = {status: by_status.get(status, 0) for status in ReviewStatus.values}
    totals["all"] = sum(totals.values())
    return totals


def _page(paginator: Paginator, raw: str):
    """The requested page, clamped into range; a note says when the request was changed."""
    try:
        number = int(raw) if raw else 1
    except ValueError:
        return paginator.page(1), f"Page “{raw}” is not a number; showing page 1."
    clamped = min(max(number, 1), paginator.num_pages)
    note = ""
    if clamped != number:
        note = f"There is no page {number}; showing page {clamped} of {paginator.num_pages}."
    return paginator.page(clamped), note
