"""The jobs the worker runs (`manage.py db_worker`, django-tasks' database backend).

A job's arguments are ids: the job reads its row, so a job delivered twice, or run again after
its process was killed, finds the row's state and does nothing twice.
"""

import json
import shutil

from django.conf import settings
from django_tasks import task

from articles.imports.importers import import_records, import_saved_uploads
from articles.models import ImportRun


@task()
def run_import(run_id: int) -> dict:
    """Import a queued upload or large API post (articles.jobs.uploads) into its ImportRun,
    whose heartbeat is the progress its page shows. The upload's folder is deleted once the run finishes; an
    interrupted run keeps it, so that it can be run again (articles.jobs.uploads.retry)."""
    run = ImportRun.objects.select_related("started_by").filter(pk=run_id).first()
    if run is None or run.state != ImportRun.State.QUEUED:
        return {"run": run_id, "skipped": "not waiting"}
    folder = upload_folder(run)
    paths = sorted(p for p in folder.glob("*/*") if p.is_file()) if folder else []
    # An exception marks the run interrupted, with the reason (articles.imports.runs), and
    # fails the job.
    if (
        run.origin == ImportRun.Origin.API
    ):  # a large API post: its records, saved as JSON
        records = json.loads(paths[0].read_bytes()) if paths else []
        done = import_records(records, source=run.source, user=run.started_by, run=run)
        result = done and done[0]
    else:
        result = import_saved_uploads(paths, run=run)
    if result is None:
        return {"run": run_id, "skipped": "taken by another worker"}
    waiting = ImportRun.objects.filter(
        upload_dir=run.upload_dir,
        state__in=[ImportRun.State.QUEUED, ImportRun.State.RUNNING],
    ).exclude(pk=run.pk)
    if folder and not waiting.exists():
        shutil.rmtree(folder, ignore_errors=True)
    return {"run": run_id, "created": result.created, "failed": result.failed}


def upload_folder(run: ImportRun):
    """The folder holding `run`'s upload, or None if it has none (or it is gone)."""
    if not run.upload_dir:
        return None
    folder = settings.NEWSREVIEW_UPLOAD_DIR / run.upload_dir
    return folder if folder.is_dir() else None
