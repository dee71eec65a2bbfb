"""Retraining as labels accrue: a job for the worker (`manage.py db_worker`), one at a time.

Every label change passes through articles.boilerplate.repetition.count_decisions(), which
calls labels_changed(). Each web process counts its changes; at every
NEWSREVIEW_BOILERPLATE_RETRAIN_EVERY-th (20) it asks the database, after the transaction has
committed, whether training is due (due(): 20 label changes since the newest model,
and 20 boilerplate and 20 other labels, as Label Sleuth does), whether none is running and
none is waiting for the worker; if so it enqueues train_when_due() — the job worker that runs
the imports and webhook deliveries (django-tasks' database backend) runs
`train_boilerplate --if-due` — and the request returns at once. The command takes the
one-at-a-time guard (claim_training()) before training, so two jobs enqueued by two web
processes at the same moment still train once.

With NEWSREVIEW_BOILERPLATE_RETRAIN = "off" nothing is enqueued: run the same command from cron
(docs/boilerplate.md).
"""

import datetime
import io
import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.boilerplate.training import label_counts
from articles.models import LabelEvent, LearnedModel, SuggestionSettings

logger = logging.getLogger(__name__)
STALE_AFTER_S = 900  # a training claim older than this belongs to a run that died

_lock = threading.Lock()
_changes = {"count": 0}


def labels_changed(count: int) -> None:
    """Note `count` label changes in this process; check for retraining at every N-th."""
    if count <= 0 or settings.NEWSREVIEW_BOILERPLATE_RETRAIN != "background":
        return
    every = max(settings.NEWSREVIEW_BOILERPLATE_RETRAIN_EVERY, 1)
    with _lock:
        before = _changes["count"]
        _changes["count"] = before + count
        crossed = before // every != _changes["count"] // every
    if crossed:
        transaction.on_commit(maybe_start_training)


def maybe_start_training() -> bool:
    """Enqueue a background training when one is due and none runs or waits; True if so."""
    try:
        if training_running() or training_waiting() or not due():
            return False
        start_training()
    except Exception:  # a label was saved; retraining must never turn it into an error
        logger.exception("Could not enqueue the boilerplate model's training")
        return False
    return True


@task()
def train_when_due() -> str:
    """The job: `train_boilerplate --if-due --trigger labels`; what it said is the result."""
    out = io.StringIO()
    call_command("train_boilerplate", "--if-due", "--trigger", "labels", stdout=out)
    return out.getvalue()


def start_training():
    """Enqueue train_when_due() for the job worker; its TaskResult."""
    return train_when_due.enqueue()


def training_waiting() -> bool:
    """Whether a training job is enqueued and not yet taken by the worker."""
    return DBTaskResult.objects.filter(
        task_path=train_when_due.module_path, status=TaskResultStatus.READY
    ).exists()


def due() -> bool:
    """Whether enough has changed since the newest model to train again: at least
    RETRAIN_EVERY label events since it (or since the start) and RETRAIN_MIN_LABELS labels of
    each class."""
    newest = LearnedModel.objects.order_by("-pk").values_list(
        "last_event_id", flat=True
    )
    since = newest.first() or 0
    changes = LabelEvent.objects.filter(
        pk__gt=since, field=LabelEvent.Field.LABEL
    ).count()
    if changes < settings.NEWSREVIEW_BOILERPLATE_RETRAIN_EVERY:
        return False
    needed = settings.NEWSREVIEW_BOILERPLATE_RETRAIN_MIN_LABELS
    return min(label_counts()) >= needed


def training_running() -> bool:
    """Whether a training run holds the guard (and has not died: younger than STALE_AFTER_S)."""
    stale = timezone.now() - datetime.timedelta(seconds=STALE_AFTER_S)
    return SuggestionSettings.objects.filter(pk=1, training_since__gt=stale).exists()


def claim_training(*, stale_after_s: int | None = None) -> bool:
    """Take the one-training-at-a-time guard (an UPDATE that only one process can win);
    a claim older than `stale_after_s` (a run that died) can be taken over."""
    SuggestionSettings.current()
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=stale_after_s or STALE_AFTER_S)
    return bool(
        SuggestionSettings.objects.filter(pk=1)
        .filter(Q(training_since__isnull=True) | Q(training_since__lt=stale))
        .update(training_since=now)
    )


def release_training() -> None:
    SuggestionSettings.objects.filter(pk=1).update(training_since=None)
