"""Keeping the search index fast through bulk imports (the importer calls both).

bulk_index(): SQLite indexes an import's rows in one statement instead of by trigger.
settle_index(): PostgreSQL merges the GIN index's pending entries after an import.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connections, transaction

from articles.triggers import (
    SEARCH_SQLITE,
    SEARCH_SQLITE_ADD,
    SEARCH_SQLITE_ARTICLE,
    SEARCH_SQLITE_BULK,
    SEARCH_SQLITE_REMOVE,
)

logger = logging.getLogger(__name__)

# The index's pending entries merged in (settle_index); returns how many pages.
SETTLE = "SELECT gin_clean_pending_list('articles_search_document_gin'::regclass)"


# Indexing by trigger costs ten times what one INSERT … SELECT of the same rows does (measured:
# 27,000 paragraphs, 3.4 s against 0.3 s), a third of the import. So the importer drops the
# insert triggers for its own rows with bulk_index() and indexes them in one statement;
# every other writer (admin, label writes, tests) still goes through the triggers.
@contextmanager
def bulk_index(*, using: str = "default") -> Iterator[None]:
    """Articles and paragraphs inserted in this block are indexed at its end, in one statement.

    Must run inside the transaction that inserts them: no other connection then ever sees the
    insert triggers gone, and no other writer can add rows meanwhile (SQLite has one writer at
    a time; AUTOINCREMENT ids only grow). Seven statements per block, whatever it inserts.
    PostgreSQL's indexes need nothing.

    The insert triggers are dropped for the block and made again at its end (SQLite's DDL is
    transactional: a rollback brings them back too). Switched off by a WHEN clause, a trigger
    still cost 15 µs a row, half of the paragraph INSERT (measured: 27,667 rows, 0.82 to
    1.03 s with it, 0.39 to 0.43 s without).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_index() must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        for name in SEARCH_SQLITE_BULK:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        yield
        for name in SEARCH_SQLITE_BULK:
            cursor.execute(f"CREATE TRIGGER {name} {SEARCH_SQLITE[name]}")
        # Every indexed article has an id up to the highest in the index's docsize table, so
        # the articles above it are exactly the ones not indexed yet.
        cursor.execute(
            "INSERT INTO articles_search_fts(rowid, title, body)"
            " SELECT id, title, body FROM articles_search_document WHERE id >"
            " (SELECT coalesce(max(id), 0) FROM articles_search_fts_docsize)"
        )


@contextmanager
def reindexed_once(article_id: int, *, using: str = "default") -> Iterator[None]:
    """One article's paragraphs and title rewritten in this block are reindexed once, at its
    end, instead of twice per changed row by trigger (a revision moves most of an article's
    rows: each move cost two rebuilds of the article's whole document; measured, 1,000
    articles re-imported with 10% changed: 22 s with the triggers, see docs/benchmarks.md).

    Same rules as bulk_index(): inside the transaction, SQLite only (PostgreSQL's
    row triggers refresh one document per changed row, cheaply). The article's document
    leaves the index before the block (FTS5 must be told the exact text it indexed) and comes
    back after it.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("reindexed_once() must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_SQLITE_REMOVE.removesuffix(";"), [article_id])
        for name in SEARCH_SQLITE_ARTICLE:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        yield
        for name in SEARCH_SQLITE_ARTICLE:
            cursor.execute(f"CREATE TRIGGER {name} {SEARCH_SQLITE[name]}")
        cursor.execute(SEARCH_SQLITE_ADD.removesuffix(";"), [article_id])


def settle_index(*, using: str = "default") -> None:
    """After a bulk insert: move PostgreSQL's pending GIN entries into the index proper.

    New documents first go to the GIN index's pending list (fast inserts), which every search
    reads in full, and whose size makes the planner rate the index as dear: after 10,000
    imported articles (2 MB pending) it read all the documents instead, 46 ms for a rare word
    where the index answers in 0.5 ms. Autovacuum clears the list in its own time; the importer
    does it when it is done. SQLite's FTS5 needs nothing.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    # Only the index's owner (or a superuser) may: a database user without that right leaves
    # it to autovacuum, and the import still succeeds.
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(SETTLE)
    except DatabaseError as error:
        logger.warning("Search index not settled after the import: %s", error)
