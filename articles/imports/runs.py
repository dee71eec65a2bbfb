"""An import run's life: started by a process, alive while it writes, finished or interrupted.

A run is written by one process (the command line, an API request, or a job worker for an
upload: articles.jobs queues the run and claim()s it when a worker takes the job). It says which
("host:pid") and shows it is alive after every batch of articles. The cases, each with its rule:

- the import raises (a database error, Ctrl-C, a worker's graceful timeout): `interrupted()` marks
  the run at once, with the reason, from the process itself;
- the process is killed (SIGKILL, the out-of-memory killer, a machine restart) and can say
  nothing: `settle_interrupted()` marks the run when a page lists runs — at once when the run's
  process was on this machine and is gone, else once its heartbeat is older than
  NEWSREVIEW_IMPORT_STALE_MINUTES.

An interrupted run keeps what it wrote before it stopped (every batch is its own transaction);
importing the same files again finishes it: what is already in is reported unchanged.
"""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.dispatch import Signal
from django.utils import timezone

from articles.models import ImportRun

# At most one heartbeat UPDATE a second, however small the batches.
HEARTBEAT_SECONDS = 1

INTERRUPTED_KILLED = (
    "The import stopped before it finished: its process ended (killed, out of memory, or its "
    "server restarted). The articles written before that are kept; import the same files "
    "again to finish — what is already in is reported unchanged."
)


# Sent once a run ends, finished or interrupted (by its own process, or found dead):
# sender=ImportRun, run=<ImportRun>. Webhooks announce it (articles.webhooks).
run_ended = Signal()


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def start(*, user, origin: str) -> ImportRun:
    now = timezone.now()
    return ImportRun.objects.create(
        started_by=user, origin=origin, worker=this_worker(), heartbeat_at=now
    )


def claim(run: ImportRun, *, files_total: int) -> bool:
    """Take a queued run (a background import) for this process; False if another process took
    it already (a job delivered twice runs once)."""
    now = timezone.now()
    taken = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.QUEUED).update(
        state=ImportRun.State.RUNNING,
        worker=this_worker(),
        heartbeat_at=now,
        files_total=files_total,
    )
    if taken:
        run.state, run.worker, run.heartbeat_at = (
            ImportRun.State.RUNNING,
            this_worker(),
            now,
        )
        run.files_total = files_total
    return bool(taken)


def heartbeat(run: ImportRun, *, counts: dict[str, int]) -> None:
    """Show the run is alive, with its counts so far (what an interrupted run's page shows)."""
    now = timezone.now()
    if (
        run.heartbeat_at
        and (now - run.heartbeat_at).total_seconds() < HEARTBEAT_SECONDS
    ):
        return
    run.heartbeat_at = now
    ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.RUNNING).update(
        heartbeat_at=now, **counts
    )


def interrupted(run: ImportRun, *, reason: str, counts: dict[str, int]) -> None:
    """Mark a run that stopped on an exception in its own process; `run.errors` holds the
    refusals it had met so far (the writer keeps them there, capped)."""
    fields = {
        "state": ImportRun.State.INTERRUPTED,
        "finished_at": timezone.now(),
        "errors": [*run.errors, {"file": "", "reason": reason}],
        **counts,
    }
    if ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.RUNNING).update(
        **fields
    ):
        for name, value in fields.items():
            setattr(run, name, value)
        run_ended.send(sender=ImportRun, run=run)


def settle_interrupted() -> int:
    """Mark the runs whose process is gone; how many. One query when none is running."""
    running = list(
        ImportRun.objects.filter(state=ImportRun.State.RUNNING).values_list(
            "pk", "worker", "heartbeat_at"
        )
    )
    if not running:
        return 0
    stale = timezone.now() - timedelta(minutes=settings.NEWSREVIEW_IMPORT_STALE_MINUTES)
    host = socket.gethostname()
    dead = [
        pk
        for pk, worker, beat in running
        if beat is None or beat < stale or _gone(worker, host)
    ]
    marked = 0
    # Few runs (the ones whose process died); each keeps its reasons and gains this one.
    for run in ImportRun.objects.filter(pk__in=dead).only("errors", "heartbeat_at"):
        if ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.RUNNING).update(
            state=ImportRun.State.INTERRUPTED,
            finished_at=run.heartbeat_at or timezone.now(),
            errors=[*run.errors, {"file": "", "reason": INTERRUPTED_KILLED}],
        ):
            marked += 1
            run_ended.send(sender=ImportRun, run=ImportRun.objects.get(pk=run.pk))
    return marked


def _gone(worker: str, host: str) -> bool:
    """Whether `worker` ("host:pid") ran on this machine and its process has ended."""
    worker_host, _, pid = worker.rpartition(":")
    if worker_host != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False
