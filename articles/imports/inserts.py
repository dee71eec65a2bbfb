"""The importer's hand-written bulk INSERTs of new articles and their paragraphs (writer.py
calls them inside a batch's transaction); each docstring says why not bulk_create.
"""

import itertools
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from articles.imports.records import Prepared
from articles.models import Article, Paragraph


def insert_articles(batch: list[Prepared], *, import_run: int) -> list[int]:
    """Insert the batch's articles as new and unreviewed; their ids, in the batch's order.

    Multi-row INSERTs instead of Article.objects.bulk_create, for the reason given below for
    paragraphs: bulk_create's per-field preparation cost more than storing the rows (a third of
    the writing process's time in a cProfile of 1,000 benchmark files). RETURNING gives each
    row's id with its external id (SQLite 3.35+, PostgreSQL), so nothing depends on the order
    in which rows come back.
    """
    meta = Article._meta
    quote = connection.ops.quote_name
    given = ["external_id", "title", "source", "url", "content_hash", "paragraph_count"]
    given += ["import_run", "imported_at", "fingerprint"]
    # Every other column is nullable; their defaults are an unreviewed article's.
    defaults = ["status", "verified_count", "unverified_count", "boilerplate_count"]
    names = given + defaults
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    default_values = tuple(meta.get_field(name).get_default() for name in defaults)
    # What DateTimeField's preparation of an aware datetime comes down to, 10 us less a row.
    adapt_time = connection.ops.adapt_datetimefield_value
    per_statement = max(1, (connection.features.max_query_params or 999) // len(names))
    ids: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(batch), per_statement):
            chunk = batch[start : start + per_statement]
            values = ", ".join(
                ["(" + ", ".join(["%s"] * len(names)) + ")"] * len(chunk)
            )
            params = [
                value
                for prepared in chunk
                for value in (
                    prepared.external_id,
                    prepared.title,
                    prepared.source,
                    prepared.url,
                    prepared.content_hash,
                    len(prepared.paragraphs),
                    import_run,
                    adapt_time(timezone.now()),
                    prepared.fingerprint,
                    *default_values,
                )
            ]
            # Only names from the model's metadata are formatted in; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} "  # noqa: S608
                f"RETURNING {quote('external_id')}, {quote('id')}",
                params,
            )
            ids.update(cursor.fetchall())
    return [ids[prepared.external_id] for prepared in batch]


def insert_paragraphs(
    rows: Iterable[tuple[int, int, str, str, str, int, int]],
) -> None:
    """Insert (article id, position, html, text, text_hash, link_share, cues) rows as new,
    unlabeled paragraphs.

    A parametrised INSERT run with executemany instead of Paragraph.objects.bulk_create: in a
    cProfile of 500 seed-like files, building model instances and bulk_create's per-field
    preparation took four times as long as SQLite took to store the rows, and was most of the
    import. Columns come from the model's own metadata so a renamed field fails loudly, and the
    database still checks every constraint.
    """
    meta = Paragraph._meta
    given = ["article", "position", "html", "text", "text_hash", "link_share", "cues"]
    defaults = ["label", "note", "version"]  # every other column is nullable
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in given + defaults)
    default_values = tuple(meta.get_field(name).get_default() for name in defaults)
    table = quote(meta.db_table)
    rows = iter(rows)
    # Only names and types from the model's metadata are formatted in; every value is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # executemany sends PostgreSQL one INSERT per row, which it executes one by one (most
            # of the import's time there); unnest() makes the rows of 2,000 paragraphs a table
            # inserted by one statement, whose text is the same for every chunk.
            arrays = ", ".join(
                f"%s::{meta.get_field(name).db_type(connection)}[]" for name in given
            )
            defaults_sql = ", ".join(["%s"] * len(defaults))
            sql = f"INSERT INTO {table} ({columns}) SELECT *, {defaults_sql} FROM unnest({arrays})"  # noqa: S608
            while chunk := list(itertools.islice(rows, 2000)):
                cursor.execute(
                    sql, [*default_values, *map(list, zip(*chunk, strict=True))]
                )
            return
        placeholders = ", ".join(["%s"] * (len(given) + len(defaults)))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        while chunk := [row + default_values for row in itertools.islice(rows, 2000)]:
            cursor.executemany(sql, chunk)
