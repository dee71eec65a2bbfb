"""What the review package's POSTs answer with: a refused form's plain-text 400, and the
article's page (at a paragraph, with the queue's query) to go back to."""

from django.http import HttpResponseBadRequest
from django.urls import reverse


def bad_request(form, outcome: str = "Not saved.") -> HttpResponseBadRequest:
    """400 naming each refused field and why, as plain text (htmx shows it in the error line)."""
    reasons = "; ".join(
        f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
    )
    return HttpResponseBadRequest(
        f"{outcome} {reasons}", content_type="text/plain; charset=utf-8"
    )


def detail_url(article_id: int, position: int | None = None, query: str = "") -> str:
    """The review page of `article_id`, with the queue's `query`, at paragraph `position`."""
    url = reverse("articles:detail", args=[article_id])
    if query:
        url = f"{url}?{query}"
    return f"{url}#p-{position}" if position else url
