"""The statements of a revision that the ORM made too dear (docs/benchmarks.md, "Re-import"):
the snapshot copy, the position moves, the updates and deletes of paragraph rows. Names come
from the models' metadata; every value is bound."""

import functools

from django.db import connection

from articles.models import (
    Article,
    Change,
    LabelEvent,
    Paragraph,
    ParagraphSnapshot,
    SecondOpinion,
)

# What a revision rewrites on the paragraphs it keeps (attribute names: labeled_by's id).
KEPT_FIELDS = [
    "position",
    "html",
    "text",
    "text_hash",
    "link_share",
    "cues",
    "change",
    "previous_label",
    "label",
    "labeled_by",
    "labeled_at",
    "version",
]
KEPT_ATTRIBUTES = [Paragraph._meta.get_field(name).attname for name in KEPT_FIELDS]


# The columns a snapshot copies from its paragraph, by name on both tables.
_SNAPSHOT_COPIED = [
    "article",
    "position",
    "html",
    "text",
    "text_hash",
    "label",
    "labeled_by",
    "labeled_at",
    "note",
    "change",
]


def snapshot(article: Article, *, fates: dict[int, str]) -> None:
    """Copy the article's paragraphs, as they are, to ParagraphSnapshot (revision N), with what
    revision N + 1 does to each (`fates` by paragraph id): one INSERT … SELECT, the rows never
    leave the database, and an UPDATE per fate other than "unchanged". bulk_create() of model
    instances cost 15 ms an article (cProfile of the benchmark's re-import). The paragraph
    link of a deleted one goes when it is deleted (SET_NULL)."""
    source, target = Paragraph._meta, ParagraphSnapshot._meta
    quote = connection.ops.quote_name
    copied = [quote(target.get_field(name).column) for name in _SNAPSHOT_COPIED]
    read = [quote(source.get_field(name).column) for name in _SNAPSHOT_COPIED]
    sql = (
        f"INSERT INTO {quote(target.db_table)} ({', '.join(copied)}, "  # noqa: S608
        f"{quote('revision')}, {quote('paragraph_id')}, {quote('fate')}) "
        f"SELECT {', '.join(read)}, %s, {quote('id')}, %s "
        f"FROM {quote(source.db_table)} WHERE {quote('article_id')} = %s"
    )
    other = [(fate, pk) for pk, fate in fates.items() if fate != Change.UNCHANGED]
    with connection.cursor() as cursor:
        cursor.execute(sql, [article.revision, Change.UNCHANGED, article.pk])
        if other:
            cursor.executemany(
                f"UPDATE {quote(target.db_table)} SET {quote('fate')} = %s "  # noqa: S608
                f"WHERE {quote('article_id')} = %s AND {quote('revision')} = %s"
                f" AND {quote('paragraph_id')} = %s",
                [(fate, article.pk, article.revision, pk) for fate, pk in other],
            )


def moves(
    moves: dict[int, tuple[int, int]], *, taken: set[int], parking: int
) -> list[tuple[int, int]]:
    """(position, paragraph id) updates, in an order that keeps positions unique at every
    statement, for `moves` {id: (from, to)} while `taken` positions are in use. A row moves
    once when its place is free (a paragraph inserted near the top shifts the rest from the
    bottom up); only a cycle (paragraphs that swapped places) parks one row at `parking` and
    above first. Each move of a row makes PostgreSQL's search trigger rebuild the article's
    document, so every row moves as few times as it can."""
    steps, pending, taken = [], dict(moves), set(taken)
    while pending:
        ready = [pk for pk, (_, to) in pending.items() if to not in taken]
        if not ready:  # a cycle: park one
            pk, (at, to) = next(iter(pending.items()))
            steps.append((parking, pk))
            taken.discard(at)
            taken.add(parking)
            pending[pk] = (parking, to)
            parking += 1
            continue
        for pk in ready:
            at, to = pending.pop(pk)
            if to in taken:  # taken by another row of this round
                pending[pk] = (at, to)
                continue
            steps.append((to, pk))
            taken.discard(at)
            taken.add(to)
    return steps


def delete_rows(ids: list[int]) -> None:
    """Delete paragraphs that left the current revision. Their audit events and snapshots
    lose only the link to them (the models' SET_NULL, done here in one UPDATE each: the ORM's
    delete collected the related rows first, 6 ms an article). Names from the models'
    metadata; ids bound."""
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        for model in (LabelEvent, ParagraphSnapshot, SecondOpinion):
            column = quote(model._meta.get_field("paragraph").column)
            cursor.execute(
                f"UPDATE {quote(model._meta.db_table)} SET {column} = NULL "  # noqa: S608
                f"WHERE {column} IN ({marks})",
                ids,
            )
        cursor.execute(
            f"DELETE FROM {quote(Paragraph._meta.db_table)} WHERE id IN ({marks})",  # noqa: S608
            ids,
        )


@functools.cache
def _update_statement(fields: tuple[str, ...]) -> tuple[list, str]:
    """update_rows()'s fields and statement for `fields`, made once per process (the label
    POST runs one per request: articles.review.labels)."""
    meta = Paragraph._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    return columns, sql


def update_rows(fields: list[str], rows: list[tuple]) -> None:
    """UPDATE paragraphs SET `fields` WHERE id = the last value of each row: one prepared
    statement run with executemany. bulk_update() built a CASE per field and row whose
    compiling cost 100 ms per article of 30 paragraphs, most of a re-import (cProfile of the
    benchmark's re-import, docs/benchmarks.md). Names from the model's metadata; every value
    bound, prepared for the database by its field."""
    if not rows:
        return
    columns, sql = _update_statement(tuple(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                [
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(columns, row[:-1], strict=True)
                ]
                + [row[-1]]
                for row in rows
            ],
        )
