"""Writes that touch several rows or models: labels with their counts and audit trail, assignment.

Every label write runs in one transaction, so a paragraph's label, its article's counts and status,
and the LabelEvent change together or not at all (DESIGN.md invariants 1-3).

Locking: writers lock the paragraph rows they change (in position order) and update the article's
counters last, with F() expressions. Nobody holds the article row while waiting for a paragraph,
so concurrent reviewers neither deadlock nor make the counts drift.
"""

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from articles.models import (
    COUNT_FIELD,
    Article,
    Label,
    LabelEvent,
    Paragraph,
    derive_status,
    status_expression,
)

_LABELED = F("verified_count") + F("unverified_count") + F("boilerplate_count")


class StaleParagraph(Exception):
    """Someone else changed the paragraph after the reviewer loaded it; nothing was saved."""

    def __init__(self, paragraph: Paragraph):
        super().__init__(f"paragraph {paragraph.position} changed meanwhile")
        self.paragraph = paragraph


def _valid_label(label: str) -> str:
    """The label, or ValueError naming the allowed values; "" means unlabeled."""
    if label == "" or label in Label.values:
        return label
    allowed = ", ".join(Label.values)
    raise ValueError(
        f"Unknown label {label!r}: use one of {allowed}, or empty to clear."
    )


def _count_changes(changes: list[tuple[str, str]]) -> dict[str, int]:
    """Net change of each counter for (old, new) label pairs."""
    delta = dict.fromkeys(COUNT_FIELD.values(), 0)
    for old, new in changes:
        if old:
            delta[COUNT_FIELD[Label(old)]] -= 1
        if new:
            delta[COUNT_FIELD[Label(new)]] += 1
    return {field: n for field, n in delta.items() if n}


def _update_article_counts(
    *, article_id: int, delta: dict[str, int], user: AbstractBaseUser, now
) -> None:
    """Apply counter changes and the derived status in ONE UPDATE, relative to the stored values."""
    labeled = _LABELED + sum(delta.values())
    Article.objects.filter(pk=article_id).update(
        **{field: F(field) + n for field, n in delta.items()},
        status=status_expression(labeled=labeled, total=F("paragraph_count")),
        last_reviewed_by=user,
        last_reviewed_at=now,
    )


def _apply_delta_in_memory(article: Article, delta: dict[str, int]) -> None:
    for field, n in delta.items():
        setattr(article, field, getattr(article, field) + n)
    article.status = derive_status(
        labeled=article.labeled_count, total=article.paragraph_count
    )


def _locked_paragraph(*, article_id: int, position: int) -> Paragraph:
    # Only the paragraph row is locked (of=("self",)): the article is read to render the result,
    # while its counters are changed with F() so concurrent writers add up correctly.
    return (
        Paragraph.objects.select_for_update(of=("self",))
        .select_related("article", "labeled_by")
        .get(article_id=article_id, position=position)
    )


# No @transaction.atomic here: a single UPDATE statement is atomic on its own.
def assign_articles(
    *, articles: QuerySet, assignee: AbstractBaseUser | None, by: AbstractBaseUser
) -> int:
    """Assign the articles to `assignee` (None unassigns) in one UPDATE; returns how many.

    `by` is the user who asked; assignment is not a label change, so it writes no LabelEvent.
    """
    return articles.update(assigned_to=assignee)


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
    `expected_version` is given and the paragraph has changed since. An unchanged label is a
    no-op (no event). The returned paragraph's `.article` holds the counts after the change.
    """
    label = _valid_label(label)
    paragraph = _locked_paragraph(article_id=article_id, position=position)
    if expected_version is not None and paragraph.version != expected_version:
        raise StaleParagraph(paragraph)
    old = paragraph.label
    if old == label:
        return paragraph
    now = timezone.now()
    paragraph.label = label
    paragraph.labeled_by = user
    paragraph.labeled_at = now
    paragraph.version += 1
    paragraph.save(update_fields=["label", "labeled_by", "labeled_at", "version"])
    LabelEvent.objects.create(
        paragraph=paragraph,
        article_id=article_id,
        user=user,
        field=LabelEvent.Field.LABEL,
        old_value=old,
        new_value=label,
        method=method,
    )
    delta = _count_changes([(old, label)])
    _update_article_counts(article_id=article_id, delta=delta, user=user, now=now)
    _apply_delta_in_memory(paragraph.article, delta)
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
    paragraph = _locked_paragraph(article_id=article_id, position=position)
    if expected_version is not None and paragraph.version != expected_version:
        raise StaleParagraph(paragraph)
    old = paragraph.note
    if old == note:
        return paragraph
    paragraph.note = note
    paragraph.version += 1
    paragraph.save(update_fields=["note", "version"])
    LabelEvent.objects.create(
        paragraph=paragraph,
        article_id=article_id,
        user=user,
        field=LabelEvent.Field.NOTE,
        old_value=old,
        new_value=note,
        method=LabelEvent.Method.CLICK,
    )
    return paragraph


def _relabel(
    *,
    paragraphs: QuerySet,
    label: str,
    user: AbstractBaseUser,
    method: str,
    article_id: int,
) -> int:
    """Give every paragraph in `paragraphs` the label: bulk update, events, counts in one UPDATE."""
    locked = list(
        paragraphs.select_for_update(of=("self",))
        .exclude(label=label)
        .order_by("position")
        .only("pk", "label", "version")
    )
    if not locked:
        return 0
    now = timezone.now()
    batch = uuid.uuid4()
    changes = [(paragraph.label, label) for paragraph in locked]
    LabelEvent.objects.bulk_create(
        LabelEvent(
            paragraph_id=paragraph.pk,
            article_id=article_id,
            user=user,
            field=LabelEvent.Field.LABEL,
            old_value=paragraph.label,
            new_value=label,
            method=method,
            batch=batch,
        )
        for paragraph in locked
    )
    Paragraph.objects.filter(pk__in=[paragraph.pk for paragraph in locked]).update(
        label=label,
        labeled_by=user,
        labeled_at=now,
        version=F("version") + 1,
    )
    _update_article_counts(
        article_id=article_id, delta=_count_changes(changes), user=user, now=now
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
