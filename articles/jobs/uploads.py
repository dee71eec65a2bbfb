"""An upload becomes a job: its files are saved to a private folder, a queued ImportRun says what
to import, and the job (articles.jobs.tasks.run_import) is enqueued. The request does no more
than copy the bytes Django already received, so it answers in milliseconds whatever the size.

Files are saved under NEWSREVIEW_UPLOAD_DIR/<random folder>/<n>/<the uploaded name>: the name
is what the result page shows (as for an upload imported in the request), the numbered folder
keeps two uploads of the same name apart. The folder is never served.
"""

import json
import secrets
import shutil
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction

from articles.jobs.tasks import run_import, upload_folder
from articles.models import ImportRun


def safe_name(name: str) -> str:
    """An uploaded file's name without any folder, and never hidden or empty."""
    name = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    name = name.replace("\x00", "")[:200]
    return name if name and not name.startswith(".") else f"upload{name}"


def queue_upload(files, *, source: str, user) -> ImportRun:
    """Save `files` (UploadedFile objects) and queue their import; the queued run."""
    folder_name = secrets.token_hex(16)
    folder = settings.NEWSREVIEW_UPLOAD_DIR / folder_name
    folder.mkdir(parents=True, mode=0o700)
    for number, upload in enumerate(files, start=1):
        place = folder / f"{number:04d}"
        place.mkdir(mode=0o700)
        _save(upload, place / safe_name(upload.name))
    return _queue(
        upload_dir=folder_name, source=source, user=user, files_total=len(files)
    )


def queue_records(records: list, *, source: str, user) -> ImportRun:
    """Save an API post's records (already parsed and checked against the body limits) and
    queue their import: the answer need not wait for thousands of articles."""
    folder_name = secrets.token_hex(16)
    place = settings.NEWSREVIEW_UPLOAD_DIR / folder_name / "0001"
    place.mkdir(parents=True, mode=0o700)
    with (place / "records.json").open("x", encoding="utf-8") as saved:
        json.dump(records, saved, ensure_ascii=False)
    return _queue(
        upload_dir=folder_name,
        source=source,
        user=user,
        files_total=len(records),
        origin=ImportRun.Origin.API,
    )


def _save(upload, path) -> None:
    """Keep `upload` at `path`: a large upload Django spooled to a temporary file is moved
    there (a rename on the same disk), a small one in memory is written out."""
    if hasattr(upload, "temporary_file_path"):
        upload.file.flush()
        shutil.move(upload.temporary_file_path(), path)  # Django's cleanup allows this
        path.chmod(0o600)
        return
    with path.open("xb") as saved:
        for chunk in upload.chunks():
            saved.write(chunk)


def retry(run: ImportRun, *, user) -> ImportRun:
    """Queue `run`'s upload again as a new run (what is already in is reported unchanged)."""
    if run.state != ImportRun.State.INTERRUPTED or upload_folder(run) is None:
        raise ValueError("only an interrupted run whose upload is kept can run again")
    return _queue(
        upload_dir=run.upload_dir,
        source=run.source,
        user=user,
        files_total=run.files_total,
        retry_of=run,
        origin=run.origin,
    )


def _queue(*, upload_dir: str, source: str, user, files_total: int, **fields):
    fields.setdefault("origin", ImportRun.Origin.UPLOAD)
    with transaction.atomic():
        run = ImportRun.objects.create(
            state=ImportRun.State.QUEUED,
            started_by=user,
            upload_dir=upload_dir,
            source=source,
            files_total=files_total,
            **fields,
        )
        run_import.enqueue(run.pk)
    return run
