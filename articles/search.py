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


# The sync triggers of migration 0003_search. SQLite drops a table's triggers when a migration
# rebuilds the table (its AlterField/AddField copy the rows into a new table), which would
# silently stop indexing new paragraphs; so after every migrate, ensure_sqlite_triggers()
# re-creates any that are missing (apps.py) and rebuilds the index from the rows once.
_SQLITE_TRIGGERS = {
    "articles_paragraph_fts_insert": """AFTER INSERT ON articles_paragraph BEGIN
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


def ensure_sqlite_triggers(*, using: str = "default", **kwargs) -> list[str]:
    """Re-create missing FTS5 sync triggers and rebuild the index; returns the ones made.

    A post_migrate receiver (articles.apps); does nothing before 0003_search or off SQLite.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name LIKE 'articles_%_fts%'"
        )
        present = {(kind, name) for kind, name in cursor.fetchall()}
        if ("table", "articles_paragraph_fts") not in present:
            return []
        missing = [
            name for name in _SQLITE_TRIGGERS if ("trigger", name) not in present
        ]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {_SQLITE_TRIGGERS[name]}")
        if missing:
            # Rows written while the triggers were gone (in the migration) must be indexed.
            cursor.execute(
                "INSERT INTO articles_paragraph_fts(articles_paragraph_fts) VALUES ('rebuild')"
            )
            cursor.execute(
                "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')"
            )
    return missing
