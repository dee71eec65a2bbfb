"""The answer to a refused form, shared by the feature packages' POSTs."""

from django.http import HttpResponseBadRequest


def bad_request(form, outcome: str = "Not saved.") -> HttpResponseBadRequest:
    """400 naming each refused field and why, as plain text (htmx shows it in the page's
    error line); nothing was changed."""
    reasons = "; ".join(
        f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
    )
    return HttpResponseBadRequest(
        f"{outcome} {reasons}", content_type="text/plain; charset=utf-8"
    )
