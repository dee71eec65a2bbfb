"""The multi-row label write every bulk action shares (rest as boilerplate, reset, accepted
suggestions, apply across a source and its undo): events, paragraphs, counts.

Callers lock the rows first and feed the boilerplate decision counts themselves
(articles.boilerplate.repetition.count_decisions).
"""

import uuid
from collections.abc import Iterator

from django.db.models import F

from articles.models.paragraph import LabelEvent, Paragraph
from articles.models.status import count_changes, update_counts

CHUNK = 2000  # ids per IN (…): far below SQLite's 32,766 parameters, few statements at 10,000


def chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _update_many_articles(*, per_article: dict[int, dict[str, int]], user, now) -> None:
    """Apply counter deltas to many articles: one UPDATE per distinct delta and chunk of ids.

    Articles with the same change (nearly all of them: one paragraph each) share a statement,
    so 10,000 articles cost a handful of UPDATEs, not 10,000.
    """
    groups: dict[tuple, list[int]] = {}
    for article_id, delta in per_article.items():
        key = tuple(sorted(delta.items()))
        if key:
            groups.setdefault(key, []).append(article_id)
    for key, ids in groups.items():
        for chunk in chunks(sorted(ids)):
            update_counts(article_ids=chunk, delta=dict(key), user=user, now=now)


def relabel_rows(
    *,
    rows: list[tuple[int, int, str]],
    label: str,
    user,
    method: str,
    batch: uuid.UUID,
    now,
) -> None:
    """Give the (paragraph id, article id, old label) rows `label`, with one event each in
    `batch`, and their articles' counts and statuses.

    Statements: events in bulk, one UPDATE per chunk of paragraphs, one article UPDATE per
    distinct change and chunk of articles.
    """
    LabelEvent.objects.bulk_create(
        (
            LabelEvent(
                paragraph_id=pk,
                article_id=article_id,
                user=user,
                field=LabelEvent.Field.LABEL,
                old_value=old,
                new_value=label,
                method=method,
                batch=batch,
            )
            for pk, article_id, old in rows
        ),
        batch_size=CHUNK,
    )
    for chunk in chunks([pk for pk, _, _ in rows]):
        Paragraph.objects.filter(pk__in=chunk).update(
            label=label, labeled_by=user, labeled_at=now, version=F("version") + 1
        )
    changes: dict[int, list[tuple[str, str]]] = {}
    for _, article_id, old in rows:
        changes.setdefault(article_id, []).append((old, label))
    _update_many_articles(
        per_article={pk: count_changes(pairs) for pk, pairs in changes.items()},
        user=user,
        now=now,
    )
