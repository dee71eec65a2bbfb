"""Text search over article titles and paragraph text, on an index rather than `LIKE '%…%'`.

A scan with LIKE reads every paragraph (millions of rows) for each search; these read an index:
- SQLite: FTS5 tables over articles_article.title and articles_paragraph.text ("external
  content": the index points at the rows, the text is not stored twice), kept in sync by
  triggers, so every way a row is written (importer, admin, fixtures) is indexed.
- PostgreSQL: GIN indexes on to_tsvector('simple', …) of the same two columns, which
  PostgreSQL maintains itself.
Both made by migration 0003_search. The 'simple' configuration and FTS5's unicode61 tokenizer
(diacritics kept) agree: words are split on anything that is not a letter or digit and compared
case-insensitively, with no stemming, because the corpus is in many languages.

What a search matches: the query's words, in that order and next to each other, where the last
word may be the start of a longer one ("war crim" finds "war crimes"); in the title or in any
one paragraph. A query without letters or digits falls back to a plain substring scan.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

# What both tokenizers treat as one word: a run of letters and digits (not "_", which FTS5's
# unicode61 treats as a separator).
_WORD = re.compile(r"[^\W_]+")

_SQLITE = (
    "SELECT p.article_id FROM articles_paragraph p WHERE p.id IN ("
    " SELECT rowid FROM articles_paragraph_fts WHERE articles_paragraph_fts MATCH %s)"
    " UNION SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s"
)
# The expressions must be written exactly as in the migration's indexes, or PostgreSQL
# cannot use them.
_POSTGRESQL = (
    "SELECT article_id FROM articles_paragraph"
    " WHERE to_tsvector('simple'::regconfig, text) @@ to_tsquery('simple'::regconfig, %s)"
    " UNION SELECT id FROM articles_article"
    " WHERE to_tsvector('simple'::regconfig, title) @@ to_tsquery('simple'::regconfig, %s)"
)


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


def search_articles(articles: QuerySet, q: str) -> QuerySet:
    """`articles` whose title or any paragraph contains the words of `q` (module docstring)."""
    # Security: the SQL is a constant; what the user typed reaches it only as a bound parameter.
    terms = words(q)
    vendor = connections[articles.db].vendor
    if terms and vendor == "sqlite":
        query = fts5_query(terms)
        return articles.filter(pk__in=RawSQL(_SQLITE, [query, query]))  # noqa: S611
    if terms and vendor == "postgresql":
        query = tsquery(terms)
        return articles.filter(pk__in=RawSQL(_POSTGRESQL, [query, query]))  # noqa: S611
    from articles.models import Paragraph

    in_paragraphs = Paragraph.objects.filter(text__icontains=q).values("article_id")
    return articles.filter(Q(title__icontains=q) | Q(pk__in=in_paragraphs))


# The sync triggers, as migration 0003_search made them plus the bulk switch below. SQLite drops
# a table's triggers when a migration rebuilds the table (AddField/AlterField copy the rows into
# a new table), which would silently stop indexing; so after every migrate,
# ensure_sqlite_triggers() (apps.py) puts back any that are missing or out of date.
#
# The insert trigger costs ten times what indexing the same rows in one INSERT … SELECT does
# (measured: 27,000 paragraphs, 3.4 s against 0.3 s), which was a third of the import. So the
# importer turns it off for its own rows with bulk_index() and indexes them in one statement;
# every other writer (admin, services, tests) still goes through the trigger.
_BULK_TABLE = "CREATE TABLE IF NOT EXISTS articles_search_bulk (id INTEGER PRIMARY KEY)"
_SQLITE_TRIGGERS = {
    "articles_paragraph_fts_insert": """AFTER INSERT ON articles_paragraph
    WHEN NOT EXISTS (SELECT 1 FROM articles_search_bulk) BEGIN
        INSERT INTO articles_paragraph_fts(rowid, text) VALUES (new.id, new.text); END""",
    "articles_paragraph_fts_delete": """AFTER DELETE ON articles_paragraph BEGIN
        INSERT INTO articles_paragraph_fts(articles_paragraph_fts, rowid, text)
        VALUES ('delete', old.id, old.text); END""",
    "articles_paragraph_fts_update": """AFTER UPDATE OF text ON articles_paragraph BEGIN
        INSERT INTO articles_paragraph_fts(articles_paragraph_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO articles_paragraph_fts(rowid, text) VALUES (new.id, new.text); END""",
    "articles_article_fts_insert": """AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, title) VALUES (new.id, new.title); END""",
    "articles_article_fts_delete": """AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title)
        VALUES ('delete', old.id, old.title); END""",
    "articles_article_fts_update": """AFTER UPDATE OF title ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO articles_article_fts(rowid, title) VALUES (new.id, new.title); END""",
}


@contextmanager
def bulk_index(*, using: str = "default") -> Iterator[None]:
    """Paragraphs inserted in this block are indexed at its end, in one statement.

    Must run inside the transaction that inserts them: no other connection then ever sees the
    insert trigger gone, and no other writer can add paragraphs meanwhile (SQLite has one
    writer at a time; AUTOINCREMENT ids only grow). Three statements per block, whatever it
    inserts. PostgreSQL's indexes need nothing.

    The insert trigger is dropped for the block and made again at its end (SQLite's DDL is
    transactional: a rollback brings it back too). Switched off by its WHEN clause it still
    cost 15 µs a row, half of the paragraph INSERT (measured: 27,667 rows, 0.82 to 1.03 s with
    it, 0.39 to 0.43 s without).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_index() must run inside transaction.atomic()")
    trigger = "articles_paragraph_fts_insert"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        yield
        cursor.execute(f"CREATE TRIGGER {trigger} {_SQLITE_TRIGGERS[trigger]}")
        # Every indexed paragraph has an id up to the highest in the index's docsize table, so
        # the paragraphs above it are exactly the ones not indexed yet.
        cursor.execute(
            "INSERT INTO articles_paragraph_fts(rowid, text)"
            " SELECT id, text FROM articles_paragraph WHERE id >"
            " (SELECT coalesce(max(id), 0) FROM articles_paragraph_fts_docsize)"
        )


def ensure_sqlite_triggers(*, using: str = "default", **kwargs) -> list[str]:
    """Make missing or outdated FTS5 sync triggers; returns their names.

    A post_migrate receiver (articles.apps); does nothing before 0003_search or off SQLite.
    When a trigger was missing, rows may have been written unindexed: the index is rebuilt.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name LIKE 'articles_%_fts%'"
        )
        present = {(kind, name): sql for kind, name, sql in cursor.fetchall()}
        if ("table", "articles_paragraph_fts") not in present:
            return []
        cursor.execute(_BULK_TABLE)
        made, missing = [], False
        for name, body in _SQLITE_TRIGGERS.items():
            wanted = f"CREATE TRIGGER {name} {body}"
            if present.get(("trigger", name)) == wanted:
                continue
            missing = missing or ("trigger", name) not in present
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(wanted)
            made.append(name)
        if missing:
            cursor.execute(
                "INSERT INTO articles_paragraph_fts(articles_paragraph_fts) VALUES ('rebuild')"
            )
            cursor.execute(
                "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')"
            )
    return made
