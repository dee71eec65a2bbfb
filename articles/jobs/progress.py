"""What a background import's progress bar shows, read from its ImportRun."""

from articles.models import ImportRun


def progress(run: ImportRun) -> dict:
    """What the progress bar shows: files read of the total, percent, whether it is live."""
    total = max(run.files_total, run.files_seen)
    done = run.state == ImportRun.State.FINISHED
    percent = 100 if done else (run.files_seen * 100 // total if total else 0)
    return {
        "files_done": run.files_seen,
        "files_total": total,
        "percent": percent,
        "live": run.state in (ImportRun.State.QUEUED, ImportRun.State.RUNNING),
        "can_run_again": run.state == ImportRun.State.INTERRUPTED
        and bool(run.upload_dir)
        and not run.retries.exists(),
    }
