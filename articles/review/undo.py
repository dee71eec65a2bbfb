"""Undo on the review page: take back this reviewer's last action on an article as one step.

An action is one batch of LabelEvents (every review write has one: a single label or note gets
its own, "rest is boilerplate", accepted suggestions and a reset share one per action). Its undo
writes one UNDO event per paragraph it restores, in the SAME batch, so "undone" is "the batch
has UNDO events" and the next undo walks further back. The paragraph gets back its label (or
note) and who labeled it when, as it was before the action.

An undo is refused, changing nothing, when a colleague changed one of the action's paragraphs
since (the same field), or when a paragraph no longer holds what the action wrote: the change
is theirs now. Apply-across-the-corpus actions (Propagation) have their own undo on the
Boilerplate page and are never taken back from here.

Locking: the action's paragraphs are locked in position order, like every label write, and
the checks read after the locks are held, so a concurrent label or a second undo of the same
action waits and then sees the other's result.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.boilerplate.repetition import count_decisions
from articles.models import Label, LabelEvent, Paragraph
from articles.models.labeling import relabel_rows

# What a reviewer's undo can take back: the review page's own actions.
UNDOABLE = (
    LabelEvent.Method.CLICK,
    LabelEvent.Method.KEYBOARD,
    LabelEvent.Method.BULK,
    LabelEvent.Method.SUGGESTION,
    LabelEvent.Method.RESET,
)

_ACTION_NAMES = {
    LabelEvent.Method.BULK: "“Rest is boilerplate”",
    LabelEvent.Method.SUGGESTION: "the accepted suggestions",
    LabelEvent.Method.RESET: "the reset",
}


class UndoRefused(Exception):
    """Nothing was undone; the message says why (and names the paragraph)."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Undone:
    message: str
    positions: list[int]


def _label_name(value: str) -> str:
    return Label(value).label if value else "Unlabeled"


def last_action(*, article_id: int, user: AbstractBaseUser) -> uuid.UUID | None:
    """The batch of `user`'s latest action on the article that is not undone yet, if any."""
    undone = LabelEvent.objects.filter(
        article_id=article_id, method=LabelEvent.Method.UNDO, batch__isnull=False
    ).values("batch")
    return (
        LabelEvent.objects.filter(
            article_id=article_id,
            user=user,
            method__in=UNDOABLE,
            batch__isnull=False,
        )
        .exclude(batch__in=undone)
        .order_by("-pk")
        .values_list("batch", flat=True)
        .first()
    )


def _changed_since(event: LabelEvent, paragraph: Paragraph, user, later) -> str:
    """Why `paragraph` cannot go back from `event`, or "" if it can."""
    theirs = [
        other
        for other in later
        if other.paragraph_id == event.paragraph_id
        and other.field == event.field
        and other.user_id != user.pk
    ]
    if theirs:
        last = theirs[-1]
        who = last.user.get_username() if last.user else "Someone"
        if event.field == LabelEvent.Field.NOTE:
            what = "edited its note"
        elif last.new_value:
            what = f"changed it to {_label_name(last.new_value)}"
        else:
            what = "cleared its label"
        return (
            f"Paragraph {paragraph.position}: {who} {what} since; nothing was undone."
        )
    current = (
        paragraph.note if event.field == LabelEvent.Field.NOTE else paragraph.label
    )
    if current != event.new_value:
        return f"Paragraph {paragraph.position} has changed since; nothing was undone."
    return ""


@transaction.atomic
def undo_last(*, article_id: int, user: AbstractBaseUser) -> Undone:
    """Undo `user`'s last action on the article; raises UndoRefused with the reason.

    Two presses at once (two tabs, a double click): the second waits for the first's locks,
    finds its action undone, and goes on to the action before, as pressing z twice does."""
    for _ in range(3):
        batch = last_action(article_id=article_id, user=user)
        if batch is None:
            raise UndoRefused("Nothing of yours to undo in this article.")
        undone = _undo_batch(batch, article_id=article_id, user=user)
        if undone is not None:
            return undone
    raise UndoRefused("Your actions here are being undone elsewhere; try again.")


def _undo_batch(batch: uuid.UUID, *, article_id: int, user) -> Undone | None:
    """Undo the action `batch`; None if someone undid it while this waited for its locks."""
    events = list(
        LabelEvent.objects.filter(batch=batch, article_id=article_id).order_by("pk")
    )
    ids = {event.paragraph_id for event in events}
    paragraphs = {
        paragraph.pk: paragraph
        for paragraph in Paragraph.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("article")
        .order_by("position")
    }
    # Read once the locks are held: a second undo of the same action, or a colleague's label
    # that committed while this waited, is seen here.
    if LabelEvent.objects.filter(batch=batch, method=LabelEvent.Method.UNDO).exists():
        return None
    later = list(
        LabelEvent.objects.filter(paragraph_id__in=ids, pk__gt=events[0].pk)
        .exclude(batch=batch)
        .select_related("user")
        .order_by("pk")
    )
    for event in events:
        paragraph = paragraphs[event.paragraph_id]
        reason = _changed_since(event, paragraph, user, later)
        if reason:
            raise UndoRefused(reason, paragraph.position)

    now = timezone.now()
    label_events = [e for e in events if e.field == LabelEvent.Field.LABEL]
    note_events = [e for e in events if e.field == LabelEvent.Field.NOTE]
    if label_events:
        _restore_labels(label_events, paragraphs, user=user, batch=batch, now=now)
    for event in note_events:
        paragraph = paragraphs[event.paragraph_id]
        Paragraph.objects.filter(pk=paragraph.pk).update(
            note=event.old_value, version=F("version") + 1
        )
        LabelEvent.objects.create(
            paragraph=paragraph,
            article_id=article_id,
            user=user,
            field=LabelEvent.Field.NOTE,
            old_value=paragraph.note,
            new_value=event.old_value,
            method=LabelEvent.Method.UNDO,
            batch=batch,
        )
    positions = sorted(paragraphs[e.paragraph_id].position for e in events)
    return Undone(_message(events, paragraphs), positions)


def _restore_labels(events, paragraphs, *, user, batch, now) -> None:
    """Each event's paragraph back to its old label, and to who set that label when."""
    by_label: dict[str, list[tuple[int, int, str]]] = {}
    for event in events:
        paragraph = paragraphs[event.paragraph_id]
        by_label.setdefault(event.old_value, []).append(
            (paragraph.pk, paragraph.article_id, paragraph.label)
        )
    for label, rows in by_label.items():
        relabel_rows(
            rows=rows,
            label=label,
            user=user,
            method=LabelEvent.Method.UNDO,
            batch=batch,
            now=now,
        )
    # Who set the label the paragraph goes back to: the last label event before the action.
    before: dict[int, tuple[int | None, object, str]] = {}
    for paragraph_id, user_id, at, value in (
        LabelEvent.objects.filter(
            paragraph_id__in=[e.paragraph_id for e in events],
            field=LabelEvent.Field.LABEL,
            pk__lt=events[0].pk,
        )
        .order_by("paragraph_id", "-pk")
        .values_list("paragraph_id", "user_id", "created_at", "new_value")
    ):
        before.setdefault(paragraph_id, (user_id, at, value))
    restored: dict[tuple, list[int]] = {}
    for event in events:
        user_id, at, value = before.get(event.paragraph_id, (None, None, ""))
        if value != event.old_value or not event.old_value:
            user_id, at = None, None
        restored.setdefault((user_id, at), []).append(event.paragraph_id)
    for (user_id, at), pks in restored.items():
        Paragraph.objects.filter(pk__in=pks).update(
            labeled_by_id=user_id, labeled_at=at
        )
    source = next(iter(paragraphs.values())).article.source
    count_decisions(
        source=source,
        changes=[
            (
                paragraphs[e.paragraph_id].text_hash,
                paragraphs[e.paragraph_id].label,
                e.old_value,
            )
            for e in events
        ],
        user=user,
    )


def _message(events: list[LabelEvent], paragraphs: dict[int, Paragraph]) -> str:
    first = events[0]
    position = paragraphs[first.paragraph_id].position
    if first.field == LabelEvent.Field.NOTE:
        return f"Undone: paragraph {position}'s note is back as it was."
    if len(events) == 1 and first.method not in _ACTION_NAMES:
        return f"Undone: paragraph {position} is {_label_name(first.old_value)} again."
    name = _ACTION_NAMES.get(first.method, "your last change")
    count = len(events)
    return (
        f"Undone {name}: {count} paragraph{'s' * (count != 1)} "
        f"back as {'they were' if count != 1 else 'it was'}."
    )
