"""Where a label is saved: one paragraph's label or note, the rest of an article as boilerplate,
accepted suggestions, a Lead's reset, assignment.

Every label write runs in one transaction, so a paragraph's label, its article's counts and
status, and the LabelEvent change together or not at all (DESIGN.md invariants 1-3).

Locking: writers lock the paragraph rows they change (in position order) and then update the
article's counters with one relative UPDATE (articles.models.status.update_counts). Nobody holds
the article row while waiting for a paragraph, so concurrent reviewers neither deadlock nor
make the counts drift.
"""

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from articles.boilerplate.repetition import count_decisions
from articles.boilerplate.suggestions import attach_repetition, attach_suggestions
from articles.models import Article, Label, LabelEvent, Paragraph
from articles.models.labeling import relabel_rows
from articles.models.status import (
    apply_counts,
    count_changes,
    update_counts,
    valid_label,
)
from articles.review.reads import paragraph_at
from articles.revisions.rows import update_rows


class StaleParagraph(Exception):
    """Someone else changed the paragraph after the reviewer loaded it; nothing was saved."""

    def __init__(self, paragraph: Paragraph):
        super().__init__(f"paragraph {paragraph.position} changed meanwhile")
        self.paragraph = paragraph


def _locked(
    article_id: int, position: int, expected_version: int | None, user=None
) -> Paragraph:
    paragraph = paragraph_at(article_id, position, lock=True)
    # The article's blind second reviewer labels on their own page: here they would change
    # (and, in a conflict's answer, see) the first opinion (articles.quality).
    if user is not None and paragraph.article.blind_reviewer_id == user.pk:
        raise PermissionDenied(
            "You are second-reviewing this article blind: label it on your second "
            "review's page."
        )
    if expected_version is not None and paragraph.version != expected_version:
        raise StaleParagraph(paragraph)
    return paragraph


def _save_one(
    paragraph: Paragraph, *, field: str, old: str, new: str, user, method: str, **values
) -> None:
    """One paragraph's new `values` (by field name, labeled_by as an id; its version bumped)
    and the LabelEvent for `field`, in a batch of its own: a single change is one action for
    undo (articles.review.undo).

    Two constant statements, the paragraph's by the revisions' update_rows(): the ORM's
    update() and create() cost 0.35 ms to compile and run against 0.1 ms for these, a tenth
    of a label POST whose target is 3 ms (profiled, docs/benchmarks.md). Every value is bound
    and prepared by its model field, as the ORM would; the database's triggers (tallies,
    roll-ups) see the same rows."""
    paragraph.version += 1
    update_rows(
        [*values, "version"], [(*values.values(), paragraph.version, paragraph.pk)]
    )
    event = {
        "paragraph": paragraph.pk,
        "article": paragraph.article_id,
        "user": user.pk,
        "field": field,
        "old_value": old,
        "new_value": new,
        "method": method,
        "batch": uuid.uuid4(),
        "created_at": values.get("labeled_at") or timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            _EVENT_INSERT,
            [
                LabelEvent._meta.get_field(name).get_db_prep_save(value, connection)
                for name, value in event.items()
            ],
        )


_EVENT_COLUMNS = [
    LabelEvent._meta.get_field(name).column
    for name in (
        "paragraph",
        "article",
        "user",
        "field",
        "old_value",
        "new_value",
        "method",
        "batch",
        "created_at",
    )
]
_EVENT_INSERT = (
    f"INSERT INTO {LabelEvent._meta.db_table} ({', '.join(_EVENT_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_EVENT_COLUMNS))})"
)


# No @transaction.atomic here: a single UPDATE statement is atomic on its own.
def assign_articles(
    *, articles: QuerySet, assignee: AbstractBaseUser | None, by: AbstractBaseUser
) -> int:
    """Assign the articles to `assignee` (None unassigns) in one UPDATE; returns how many.

    `by` is the user who asked; assignment is not a label change, so it writes no LabelEvent.
    """
    return articles.assign_to(assignee)


@transaction.atomic
def set_label(
    *,
    article_id: int,
    position: int,
    label: str,
    user: AbstractBaseUser,
    method: str = LabelEvent.Method.CLICK,
    expected_version: int | None = None,
) -> Paragraph:
    """Set (or with "" clear) one paragraph's label, its article's counts and one LabelEvent.

    Raises Paragraph.DoesNotExist, ValueError for an unknown label, and StaleParagraph when
    `expected_version` is given and the paragraph has changed since, unless it already holds
    `label` from this same user's last label change (a retry of a save whose answer was lost).
    An unchanged label is a no-op (no event). The returned paragraph's `.article` has the
    counts after the change.
    """
    label = valid_label(label)
    # Only the paragraph row is locked: the article is read to render the result, while its
    # counters change relative to the stored values, so concurrent writers add up correctly.
    try:
        paragraph = _locked(article_id, position, expected_version, user)
    except StaleParagraph as stale:
        # A retry of a save that went through before its answer was lost (a worker died):
        # the paragraph already holds this label, and its last label change was this same
        # person's. That is their own newer version, not a colleague's; nothing to write.
        mine = stale.paragraph.labeled_by_id == user.pk
        if stale.paragraph.label == label and mine:
            return stale.paragraph
        raise
    old = paragraph.label
    if old == label:
        return paragraph
    now = timezone.now()
    paragraph.label, paragraph.labeled_by, paragraph.labeled_at = label, user, now
    _save_one(
        paragraph,
        field=LabelEvent.Field.LABEL,
        old=old,
        new=label,
        user=user,
        method=method,
        label=label,
        labeled_by=user.pk,
        labeled_at=now,
    )
    delta = count_changes([(old, label)])
    update_counts(article_ids=[article_id], delta=delta, user=user, now=now)
    count_decisions(
        source=paragraph.article.source,
        changes=[(paragraph.text_hash, old, label)],
        user=user,
    )
    apply_counts(paragraph.article, delta)
    paragraph.article.last_reviewed_by = user
    paragraph.article.last_reviewed_at = now
    return paragraph


@transaction.atomic
def set_note(
    *,
    article_id: int,
    position: int,
    note: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Paragraph:
    """Replace one paragraph's note, writing one LabelEvent (field "note"); unchanged is a no-op.

    Raises Paragraph.DoesNotExist and StaleParagraph like set_label.
    """
    note = note.strip()
    paragraph = _locked(article_id, position, expected_version, user)
    old = paragraph.note
    if old == note:
        return paragraph
    paragraph.note = note
    _save_one(
        paragraph,
        field=LabelEvent.Field.NOTE,
        old=old,
        new=note,
        user=user,
        method=LabelEvent.Method.CLICK,
        note=note,
    )
    return paragraph


def _relabel(
    *,
    paragraphs: QuerySet,
    label: str,
    user: AbstractBaseUser,
    method: str,
    article_id: int,
    batch: uuid.UUID | None = None,
) -> int:
    """Give every paragraph in `paragraphs` the label: bulk update, events, counts in one UPDATE.

    The events share `batch` (a new one if not given): the action's undo takes them back."""
    locked = list(
        paragraphs.select_for_update(of=("self",))
        .exclude(label=label)
        .select_related("article")
        .order_by("position")
        .only("pk", "label", "version", "text_hash", "article__source")
    )
    if not locked:
        return 0
    relabel_rows(
        rows=[(paragraph.pk, article_id, paragraph.label) for paragraph in locked],
        label=label,
        user=user,
        method=method,
        batch=batch or uuid.uuid4(),
        now=timezone.now(),
    )
    count_decisions(
        source=locked[0].article.source,
        changes=[(paragraph.text_hash, paragraph.label, label) for paragraph in locked],
        user=user,
    )
    return len(locked)


@transaction.atomic
def label_rest_as_boilerplate(
    *, article_id: int, from_position: int, user: AbstractBaseUser
) -> int:
    """Mark the paragraph at `from_position` and every UNLABELED one after it as boilerplate.

    Labels a reviewer already set further down are kept. Returns how many paragraphs changed.
    """
    rest = Paragraph.objects.filter(
        Q(position=from_position) | Q(position__gt=from_position, label=""),
        article_id=article_id,
    )
    return _relabel(
        paragraphs=rest,
        label=Label.BOILERPLATE,
        user=user,
        method=LabelEvent.Method.BULK,
        article_id=article_id,
    )


@transaction.atomic
def reset_article(*, article: Article, user: AbstractBaseUser) -> int:
    """Clear every label of the article (a Lead's action), one RESET event per cleared paragraph."""
    return _relabel(
        paragraphs=Paragraph.objects.filter(article_id=article.pk),
        label="",
        user=user,
        method=LabelEvent.Method.RESET,
        article_id=article.pk,
    )


@transaction.atomic
def accept_suggestions(
    *,
    article_id: int,
    user: AbstractBaseUser,
    positions: list[int] | None = None,
    min_percent: int = 0,
) -> int:
    """Label the article's unlabeled paragraphs that have a suggestion with what it suggests.

    `positions` limits it to those paragraphs (the `a` key sends one); `min_percent` to the
    suggestions with at least that confidence (Shift+A: the Lead's threshold). Suggestions are
    worked out here again, never taken from the request. One SUGGESTION event per change;
    returns how many paragraphs changed.
    """
    # The whole article: the model looks at each paragraph's neighbours.
    paragraphs = list(
        Paragraph.objects.filter(article_id=article_id)
        .select_related("article")
        .order_by("position")
    )
    wanted = None if positions is None else set(positions)
    candidates = [
        paragraph
        for paragraph in paragraphs
        if not paragraph.label and (wanted is None or paragraph.position in wanted)
    ]
    if not candidates:
        return 0
    article = candidates[0].article
    attach_repetition(paragraphs, source=article.source)
    attach_suggestions(paragraphs, article=article)
    by_label: dict[str, list[int]] = {}
    for paragraph in candidates:
        if paragraph.suggestion and paragraph.suggestion.percent >= min_percent:
            by_label.setdefault(paragraph.suggestion.label, []).append(paragraph.pk)
    changed = 0
    batch = uuid.uuid4()  # one action, whatever labels it sets: one undo takes it back
    for label, pks in by_label.items():
        changed += _relabel(
            paragraphs=Paragraph.objects.filter(pk__in=pks, label=""),
            label=label,
            user=user,
            method=LabelEvent.Method.SUGGESTION,
            article_id=article_id,
            batch=batch,
        )
    return changed
