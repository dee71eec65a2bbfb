"""The page rows: review page, label POST and the queue's filters, in-process through the
test client (server time with every middleware and template, no network)."""

from django.test import Client

from articles.models import Article, ReviewStatus
from bench.corpus import SEARCH_TERM
from bench.measure import measure
from bench.report import TARGETS, Report


def measure_pages(report: Report, *, requests: int, user) -> None:
    """Append the review page, label POST and queue rows, `requests` timed requests each."""
    client = Client()
    client.force_login(user)
    articles = Article.objects.order_by("pk")
    total = articles.count()
    # Targets spread over the whole table, not the few rows a cache would hold.
    step = max(1, total // (requests + 10))
    spread = list(articles.values_list("pk", flat=True)[::step])
    thirty = (
        list(
            articles.filter(paragraph_count=30).values_list("pk", flat=True)[
                : requests + 10
            ]
        )
        or spread
    )
    labels = ["verified", "unverified", "boilerplate"]

    def review(i):
        return client.get(f"/articles/{thirty[i % len(thirty)]}/")

    def label(i):
        # A new (article, position) each time: every POST really changes a label.
        pk = spread[i % len(spread)]
        position = 1 + i // len(spread)
        return client.post(
            f"/articles/{pk}/paragraphs/{position}/label/",
            {"label": labels[i % 3]},
            headers={"HX-Request": "true"},
        )

    report.rows.append(
        measure("review page (30 ¶)", TARGETS["review"], review, n=requests, limit_ms=8)
    )
    report.rows.append(
        measure("label POST", TARGETS["label"], label, n=requests, limit_ms=3)
    )
    # Next in the queue the reviewer came from (issue 13): the whole queue's order is read,
    # so this grows with the matches; a source filter, the common case, and no filter.
    source = Article.objects.values_list("source", flat=True).first()
    for name, query in (
        ("next article, whole queue", ""),
        ("next article, source filter", f"?source={source}"),
    ):
        row = measure(
            name,
            TARGETS["queue"],
            lambda i, query=query: client.get(
                f"/articles/{spread[i % len(spread)]}/next/{query}"
            ),
            n=requests,
            limit_ms=12,
            status=302,
        )
        row.note = query
        report.rows.append(row)
    queue = [
        ("queue first page", ""),
        ("queue status filter", f"?status={ReviewStatus.IN_PROGRESS}"),
        ("queue source filter", f"?source={source}"),
        ("queue text search", f"?q={SEARCH_TERM}"),
        # A word in most articles: every article is a candidate before the page is sorted.
        ("queue search, common word", "?q=said"),
    ]
    for name, query in queue:
        row = measure(
            name,
            TARGETS["queue"],
            lambda i, query=query: client.get("/" + query),
            n=requests,
            limit_ms=12,
        )
        row.note = query
        report.rows.append(row)
