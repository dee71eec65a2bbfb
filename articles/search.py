"""Text search over article titles and paragraph text, on an index rather than `LIKE '%…%'`.

A scan with LIKE reads every paragraph (millions of rows) for each search; these read an index:
- SQLite: one FTS5 document per article, its title and its paragraphs' text ("external
  content" over a view: the text is not stored twice), kept in sync by triggers, so every way
  a row is written (importer, admin, fixtures) is indexed. Migration 0007_article_search.
- PostgreSQL: one tsvector document per article, to_tsvector('simple', …) of its title and
  paragraphs, in a table with a GIN index, kept in sync by triggers
  (articles/search_postgresql.py, migration 0008_postgresql_article_search).
The 'simple' configuration and FTS5's unicode61 tokenizer
(diacritics kept) agree: words are split on anything that is not a letter or digit and compared
case-insensitively, with no stemming, because the corpus is in many languages.

What a search matches: the query's words, in that order and next to each other, where the last
word may be the start of a longer one ("war crim" finds "war crimes"); in the title or in any
one paragraph. A query without letters or digits falls back to a plain substring scan.
"""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connections, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from articles import search_postgresql
from articles.sqlite_triggers import put_back

logger = logging.getLogger(__name__)

# What both tokenizers treat as one word: a run of letters and digits (not "_", which FTS5's
# unicode61 treats as a separator).
_WORD = re.compile(r"[^\W_]+")

_SQLITE = "SELECT rowid FROM articles_search_fts WHERE articles_search_fts MATCH %s"
_SQLITE_NEWEST = _SQLITE + " ORDER BY rowid DESC LIMIT %s"


def words(q: str) -> list[str]:
    """The words of a search, lower-cased as both indexes store them."""
    return _WORD.findall(q.lower())


def fts5_query(terms: list[str]) -> str:
    # A quoted phrase with a trailing * (prefix match on its last token). The terms hold only
    # letters and digits, so nothing a user types can change the query's syntax.
    return '"' + " ".join(terms) + '"*'


def tsquery(terms: list[str]) -> str:
    # `<->` is "followed by"; `:*` a prefix match. Letters and digits only, as above.
    return " <-> ".join([*terms[:-1], terms[-1] + ":*"])


# Per database: the query for every match, the query for the newest `limit` matches, and how
# the words become the index's query syntax.
_INDEXES = {
    "sqlite": (_SQLITE, _SQLITE_NEWEST, fts5_query),
    "postgresql": (search_postgresql.MATCHING, search_postgresql.NEWEST, tsquery),
}


def search_articles(articles: QuerySet, q: str) -> QuerySet:
    """`articles` whose title or any paragraph contains the words of `q` (module docstring)."""
    # Security: the SQL is a constant; what the user typed reaches it only as a bound parameter.
    terms = words(q)
    index = _INDEXES.get(connections[articles.db].vendor)
    if terms and index:
        matching, _, syntax = index
        return articles.filter(pk__in=RawSQL(matching, [syntax(terms)]))  # noqa: S611
    from articles.models import Paragraph

    in_paragraphs = Paragraph.objects.filter(text__icontains=q).values("article_id")
    return articles.filter(Q(title__icontains=q) | Q(pk__in=in_paragraphs))


def newest_matches(articles: QuerySet, q: str, *, limit: int) -> list[int]:
    """Ids of at most `limit` of `articles` matching `q`, highest first.

    With nothing but the search to apply, this asks the index alone for the newest `limit`
    matches. SQLite's FTS5 walks its index backwards and stops after `limit`: 6 ms for a word in
    98,000 of 100,000 articles, where collecting every match first took 19 ms.
    """
    terms = words(q)
    index = _INDEXES.get(connections[articles.db].vendor)
    if terms and index and not articles.query.where:
        _, newest, syntax = index
        with connections[articles.db].cursor() as cursor:
            cursor.execute(newest, [syntax(terms), limit])
            return [pk for (pk,) in cursor.fetchall()]
    return list(
        search_articles(articles, q)
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )


# SQLite: ONE document per article (title, and its paragraphs' text in order), not one per
# paragraph. A word found in most paragraphs (say "said") made every matching paragraph a
# candidate, 27 per article, before the page was sorted: 1.7 s at 100,000 articles. An article
# is now one candidate. The paragraphs are joined with a private-use character, which FTS5's
# unicode61 keeps as a token of its own and which no query can contain (words() keeps letters and
# digits only), so a phrase never runs from the end of one paragraph into the next.
#
# The index is "external content" over a view, so the text is not stored twice. FTS5 must be
# told the exact text it indexed to remove a document, so the triggers remove an article's
# document BEFORE a change (the view still shows the old text) and add it again AFTER.
# SQLite drops a table's triggers when a migration rebuilds the table (AddField/AlterField copy
# the rows into a new table), which would silently stop indexing; so after every migrate,
# ensure_sqlite_triggers() (apps.py) puts back any that are missing or out of date.
#
# Indexing by trigger costs ten times what one INSERT … SELECT of the same rows does (measured:
# 27,000 paragraphs, 3.4 s against 0.3 s), a third of the import. So the importer drops the
# insert triggers for its own rows with bulk_index() and indexes them in one statement;
# every other writer (admin, services, tests) still goes through the triggers.
SEPARATOR = "\ue000"
# Constant SQL (no user input anywhere in these strings).
SQLITE_DOCUMENT_VIEW = f"""CREATE VIEW articles_search_document AS
    SELECT a.id AS id, a.title AS title, coalesce((
        SELECT group_concat(p.text, ' {SEPARATOR} ') FROM (
            SELECT text FROM articles_paragraph WHERE article_id = a.id ORDER BY position
        ) AS p), '') AS body
    FROM articles_article AS a"""  # noqa: S608
SQLITE_INDEX = """CREATE VIRTUAL TABLE articles_search_fts USING fts5(
    title, body, content='articles_search_document', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0')"""
SQLITE_REBUILD = (
    "INSERT INTO articles_search_fts(articles_search_fts) VALUES ('rebuild')"
)


_REMOVE = (
    "INSERT INTO articles_search_fts(articles_search_fts, rowid, title, body)"
    " SELECT 'delete', id, title, body FROM articles_search_document WHERE id = {article};"
)
_ADD = (
    "INSERT INTO articles_search_fts(rowid, title, body)"
    " SELECT id, title, body FROM articles_search_document WHERE id = {article};"
)


def _remove(article: str) -> str:
    return _REMOVE.replace("{article}", article)


def _add(article: str) -> str:
    return _ADD.replace("{article}", article)


_PARAGRAPH_MOVED = (
    "old.text IS NOT new.text OR old.position IS NOT new.position"
    " OR old.article_id IS NOT new.article_id"
)
_SQLITE_TRIGGERS = {
    "articles_search_article_insert": f"""AFTER INSERT ON articles_article
    BEGIN {_add("new.id")} END""",
    "articles_search_article_unindex": """BEFORE UPDATE OF title ON articles_article
    WHEN old.title IS NOT new.title"""
    f" BEGIN {_remove('old.id')} END",
    "articles_search_article_reindex": """AFTER UPDATE OF title ON articles_article
    WHEN old.title IS NOT new.title"""
    f" BEGIN {_add('new.id')} END",
    "articles_search_article_delete": f"""BEFORE DELETE ON articles_article
    BEGIN {_remove("old.id")} END""",
    "articles_search_paragraph_unindex_insert": f"""BEFORE INSERT ON articles_paragraph
    BEGIN {_remove("new.article_id")} END""",
    "articles_search_paragraph_insert": f"""AFTER INSERT ON articles_paragraph
    BEGIN {_add("new.article_id")} END""",
    "articles_search_paragraph_unindex_update": f"""BEFORE UPDATE OF text, position,
    article_id ON articles_paragraph WHEN {_PARAGRAPH_MOVED} BEGIN {_remove("old.article_id")}
    {_remove("new.article_id AND new.article_id IS NOT old.article_id")} END""",
    "articles_search_paragraph_update": f"""AFTER UPDATE OF text, position, article_id
    ON articles_paragraph WHEN {_PARAGRAPH_MOVED} BEGIN {_add("old.article_id")}
    {_add("new.article_id AND new.article_id IS NOT old.article_id")} END""",
    "articles_search_paragraph_unindex_delete": f"""BEFORE DELETE ON articles_paragraph
    BEGIN {_remove("old.article_id")} END""",
    "articles_search_paragraph_delete": f"""AFTER DELETE ON articles_paragraph
    BEGIN {_add("old.article_id")} END""",
}
# The triggers that index new rows one by one: bulk_index() drops them for the importer's block.
_BULK_TRIGGERS = (
    "articles_search_article_insert",
    "articles_search_paragraph_unindex_insert",
    "articles_search_paragraph_insert",
)


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
        for name in _BULK_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        yield
        for name in _BULK_TRIGGERS:
            cursor.execute(f"CREATE TRIGGER {name} {_SQLITE_TRIGGERS[name]}")
        # Every indexed article has an id up to the highest in the index's docsize table, so
        # the articles above it are exactly the ones not indexed yet.
        cursor.execute(
            "INSERT INTO articles_search_fts(rowid, title, body)"
            " SELECT id, title, body FROM articles_search_document WHERE id >"
            " (SELECT coalesce(max(id), 0) FROM articles_search_fts_docsize)"
        )


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
            cursor.execute(search_postgresql.SETTLE)
    except DatabaseError as error:
        logger.warning("Search index not settled after the import: %s", error)


def ensure_sqlite_triggers(*, using: str = "default", **kwargs) -> list[str]:
    """Make missing or outdated FTS5 sync triggers; returns their names.

    A post_migrate receiver (articles.apps); does nothing before 0007_article_search or off
    SQLite.
    When a trigger was missing, rows may have been written unindexed: the index is rebuilt.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        made, missing = put_back(
            cursor, table="articles_search_fts", triggers=_SQLITE_TRIGGERS
        )
        if missing:
            cursor.execute(SQLITE_REBUILD)
    return made
