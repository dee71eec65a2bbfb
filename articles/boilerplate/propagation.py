"""Applying a label to every unlabeled copy of a text across a source, and undoing it as one step.

A Lead's action from the Boilerplate page: one Propagation row, one PROPAGATION LabelEvent per
changed paragraph (all with the Propagation's batch id), the touched articles' counts and
statuses in grouped UPDATEs. Labels people set are never overwritten.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from articles.boilerplate.repetition import count_decisions
from articles.models import (
    Label,
    LabelEvent,
    Paragraph,
    Propagation,
)
from articles.models.labeling import relabel_rows
from articles.models.status import valid_label


@dataclass(frozen=True)
class PropagationPreview:
    source: str
    text_hash: str
    paragraphs: int
    articles: int
    sample: str


def propagation_preview(*, source: str, text_hash: str) -> PropagationPreview:
    """How many UNLABELED paragraphs with this text in this source an apply would label.

    Two indexed queries (text_hash): the counts, and one paragraph's text to show.
    """
    same = Paragraph.objects.filter(
        article__source=source, text_hash=text_hash
    ).order_by()
    totals = same.aggregate(
        paragraphs=Count("pk", filter=Q(label="")),
        articles=Count("article_id", filter=Q(label=""), distinct=True),
    )
    return PropagationPreview(
        source=source,
        text_hash=text_hash,
        paragraphs=totals["paragraphs"],
        articles=totals["articles"],
        sample=same.values_list("text", flat=True).first() or "",
    )


@transaction.atomic
def apply_across_source(
    *,
    source: str,
    text_hash: str,
    user: AbstractBaseUser,
    label: str = Label.BOILERPLATE,
) -> Propagation:
    """Label every UNLABELED paragraph of `source` with this text, as one undoable action.

    One PROPAGATION event per change, all with the Propagation's batch id; counts and statuses
    of the touched articles change in grouped UPDATEs. Labels people already set are kept.
    """
    label = valid_label(label)
    if not label:
        raise ValueError("Choose a label to apply; clearing is what undo is for.")
    locked = list(
        Paragraph.objects.filter(article__source=source, text_hash=text_hash, label="")
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "article_id")
    )
    now = timezone.now()
    propagation = Propagation.objects.create(
        batch=uuid.uuid4(),
        source=source,
        text_hash=text_hash,
        label=label,
        user=user,
        paragraphs=len(locked),
        articles=len({article_id for _, article_id in locked}),
    )
    if locked:
        relabel_rows(
            rows=[(pk, article_id, "") for pk, article_id in locked],
            label=label,
            user=user,
            method=LabelEvent.Method.PROPAGATION,
            batch=propagation.batch,
            now=now,
        )
        count_decisions(
            source=source, changes=[(text_hash, "", label)] * len(locked), user=user
        )
    return propagation


def _untouched_since(propagation: Propagation):
    """The paragraphs still exactly as the propagation left them: its label, and no label
    change after its own event (a reviewer who cleared the label and set it again decided
    it themself, even though the label is the same)."""
    own = LabelEvent.objects.filter(
        batch=propagation.batch, method=LabelEvent.Method.PROPAGATION
    )
    later = LabelEvent.objects.filter(
        paragraph_id=OuterRef("paragraph_id"),
        field=LabelEvent.Field.LABEL,
        pk__gt=OuterRef("pk"),
    )
    return Paragraph.objects.filter(
        pk__in=own.exclude(Exists(later)).values("paragraph_id"),
        label=propagation.label,
    )


@transaction.atomic
def undo_propagation(*, propagation: Propagation, user: AbstractBaseUser) -> int:
    """Undo one apply-across-the-corpus action; returns how many paragraphs went back.

    Only paragraphs still exactly as the action left them are reverted (_untouched_since):
    a label someone changed since, or changed and set back, is theirs now. One UNDO event
    per revert, in the same batch. Undoing twice is a no-op.
    """
    propagation = Propagation.objects.select_for_update().get(pk=propagation.pk)
    if propagation.undone_at:
        return 0
    # Lock first, then read which ones are untouched in a statement that starts once the locks
    # are held: it sees every change committed before, and nobody can change them after. (A
    # locking read re-checks its own row's columns after a wait, not another table's rows.)
    held = set(
        _untouched_since(propagation)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = [
        row
        for row in _untouched_since(propagation)
        .order_by("pk")
        .values_list("pk", "article_id", "label")
        if row[0] in held
    ]
    now = timezone.now()
    if locked:
        relabel_rows(
            rows=locked,
            label="",
            user=user,
            method=LabelEvent.Method.UNDO,
            batch=propagation.batch,
            now=now,
        )
        count_decisions(
            source=propagation.source,
            changes=[(propagation.text_hash, propagation.label, "")] * len(locked),
            user=user,
        )
    propagation.undone_at = now
    propagation.undone_by = user
    propagation.undone_paragraphs = len(locked)
    propagation.save(update_fields=["undone_at", "undone_by", "undone_paragraphs"])
    return len(locked)
