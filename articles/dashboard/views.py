"""The dashboard page and its CSV downloads (articles.dashboard).

Bad filters: the page uses the valid ones and the defaults for the rest, and says which field
it could not use and why (as the queue does); a CSV has no page to say it on, so it answers 400 naming the field,
or 403 when a reviewer asks for someone else's figures.
"""

from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.dashboard import csv
from articles.dashboard.figures import figures
from articles.dashboard.filters import (
    DashboardFilterForm,
    NotYours,
    errors_of,
    scope_of,
)
from articles.dashboard.panels import BUILDERS, panels

NOT_YOURS = "Reviewer: you can see only your own figures; these are yours."


def _unknown_reviewer(data, scope) -> str | None:
    """For a Lead who chose a reviewer nobody knows: the reason, naming the field."""
    if scope.reviewer is not None and scope.reviewer not in data.people:
        return f"Reviewer: there is no reviewer with id {scope.reviewer}."
    return None


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET)
    problems = [f"{label}: {reason}" for label, reason in errors_of(form)]
    try:
        scope = scope_of(form, request.user)
    except NotYours:
        problems.append(NOT_YOURS)
        form.cleaned_data["reviewer"] = None
        scope = scope_of(form, request.user)
    data = figures(scope, viewer=request.user)
    unknown = _unknown_reviewer(data, scope)
    if unknown:
        problems.append(unknown + " Showing everyone.")
        scope = replace(scope, reviewer=None)
        data = figures(scope, viewer=request.user)
    return render(
        request,
        "articles/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "csv_query": "?" + urlencode(scope.params()),
            "figures": data,
            "panels": panels(data),
            "problems": problems,
            "reviewers": sorted(data.people.items(), key=lambda p: p[1].casefold()),
            "viewing": data.people.get(scope.reviewer, "") if scope.team else "",
            "desk_zone": settings.TIME_ZONE,
        },
    )


@require_safe
def panel_csv(request: HttpRequest, chart: str) -> HttpResponse:
    build = BUILDERS.get(chart)
    if build is None:
        raise Http404("No such chart.")
    form = DashboardFilterForm(request.GET)
    if not form.is_valid():
        reasons = "; ".join(f"{label}: {reason}" for label, reason in errors_of(form))
        return HttpResponseBadRequest(
            f"Not exported. {reasons}", content_type="text/plain; charset=utf-8"
        )
    try:
        scope = scope_of(form, request.user)
    except NotYours:
        return HttpResponseForbidden(
            "Not exported. Reviewer: you can see only your own figures.",
            content_type="text/plain; charset=utf-8",
        )
    data = figures(scope, viewer=request.user)
    unknown = _unknown_reviewer(data, scope)
    if unknown:
        return HttpResponseBadRequest(
            f"Not exported. {unknown}", content_type="text/plain; charset=utf-8"
        )
    return csv.panel_response(build(data), scope)
