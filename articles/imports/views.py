"""The import page: leads upload files or a zip; each run's result; the recent runs."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from articles.imports.runs import settle_interrupted
from articles.jobs.progress import progress
from articles.jobs.uploads import queue_upload
from articles.models import ImportRun

RECENT_RUNS = 20


# CSRF is checked by _upload(), after the size check: Django's CSRF middleware reads the form
# to find the token, which would receive and spool an oversize body to disk before we could
# refuse it. Refusing without the token check is safe: it changes nothing.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("articles.import_article", raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    settle_interrupted()  # the recent runs list says which died
    if request.method == "POST":
        limit = settings.NEWSREVIEW_MAX_UPLOAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            shown = filesizeformat(length) if length >= 0 else "of unknown size"
            error = (
                f"The upload is {shown}, more than the limit of {filesizeformat(limit)}. "
                "Nothing was imported. Upload fewer files at a time, or ask an "
                "administrator to run the import_articles command on the server."
            )
            return _page(request, error=error, status=413)
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    files = request.FILES.getlist("files")
    source = request.POST.get("source", "").strip()
    if not files:
        return _page(
            request, error="Choose at least one file to import.", source=source
        )
    if len(source) > 253:
        return _page(
            request, error="Source: at most 253 characters, e.g. bbc.co.uk.", source=""
        )
    # The upload becomes a job (articles.jobs): saved, queued, and its page answers at once
    # with a progress bar; a worker imports it. The page reads the run, never the session.
    run = queue_upload(files, source=source, user=request.user)
    return redirect("articles:import_run", pk=run.pk)


@require_safe
@permission_required("articles.import_article", raise_exception=True)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    settle_interrupted()  # before the read, so a dead run's own page says so
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=pk)
    if request.htmx:  # the progress bar's poll: the run's card alone
        return render(
            request,
            "articles/import.html#run-result",
            {"run": run, "files": _file_rows(run), "progress": progress(run)},
        )
    return _page(request, run=run, files=_file_rows(run))


def _file_rows(run: ImportRun) -> list[dict] | None:
    """The run's listed files with their reasons; None for a run that listed none (one
    from before files were kept), whose page lists its failures alone."""
    if not run.files:
        return None
    reasons: dict[str, list[str]] = {}
    for error in run.errors[: settings.NEWSREVIEW_MAX_REASONS_PER_RUN * 2 + 1]:
        if isinstance(error, dict):
            reasons.setdefault(str(error.get("file")), []).append(error.get("reason"))
    rows = [
        dict(
            zip(
                ("name", "created", "unchanged", "failed", "revised", "changes"),
                row,
                strict=False,
            )
        )
        for row in run.files
    ]
    for row in rows:
        row["reasons"] = reasons.pop(row["name"], [])
    # Reasons of files not listed (a run past MAX_LISTED_FILES files), e.g. the count of the rest
    rows += [
        {
            "name": name,
            "created": "",
            "unchanged": "",
            "revised": "",
            "failed": "",
            "reasons": lines,
        }
        for name, lines in reasons.items()
    ]
    return rows


def _page(
    request: HttpRequest,
    *,
    run: ImportRun | None = None,
    files: list | None = None,
    error: str = "",
    source: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "run": run,
        "progress": run and progress(run),
        "files": files,
        "error": error,
        "source": source,
        "recent_runs": ImportRun.objects.select_related("started_by").defer(
            "errors", "files"
        )[:RECENT_RUNS],
        "max_upload": settings.NEWSREVIEW_MAX_UPLOAD_BYTES,
        "max_file": settings.NEWSREVIEW_MAX_FILE_BYTES,
    }
    return render(request, "articles/import.html", context, status=status)
