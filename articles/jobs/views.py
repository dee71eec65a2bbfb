"""A background import's progress (polled by its page) and running an interrupted one again."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from articles.jobs.uploads import retry
from articles.models import ImportRun


@require_POST
@permission_required("articles.import_article", raise_exception=True)
def run_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue an interrupted upload again, as a new run: what its first run wrote is reported
    unchanged, the rest is written; nothing is duplicated."""
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        again = retry(run, user=request.user)
    except ValueError:
        messages.error(
            request,
            "Only an interrupted import whose upload is kept can run again; upload the "
            "files again instead.",
        )
        return redirect("articles:import_run", pk=run.pk)
    return redirect("articles:import_run", pk=again.pk)
