"""Text search indexes (articles/search.py): FTS5 on SQLite, GIN full-text on PostgreSQL.

Raw SQL because neither is a Django model index. On SQLite, triggers keep the FTS5 tables in
step with the rows. A later migration that makes SQLite rebuild articles_paragraph or
articles_article (most AlterField/RemoveField do: copy, drop, rename) drops their triggers with
the old table; it must then run SQLITE_TRIGGERS again (tests/test_search.py checks they exist).
"""

from django.db import migrations

SQLITE_TABLES = [
    # External content: the index refers to the rows by id and reads their text from them.
    """CREATE VIRTUAL TABLE articles_paragraph_fts USING fts5(
        text, content='articles_paragraph', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        title, content='articles_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER articles_paragraph_fts_insert AFTER INSERT ON articles_paragraph BEGIN
        INSERT INTO articles_paragraph_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER articles_paragraph_fts_delete AFTER DELETE ON articles_paragraph BEGIN
        INSERT INTO articles_paragraph_fts(articles_paragraph_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER articles_paragraph_fts_update AFTER UPDATE OF text ON articles_paragraph
    BEGIN
        INSERT INTO articles_paragraph_fts(articles_paragraph_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO articles_paragraph_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, title) VALUES (new.id, new.title);
    END""",
    """CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title)
        VALUES ('delete', old.id, old.title);
    END""",
    """CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF title ON articles_article
    BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO articles_article_fts(rowid, title) VALUES (new.id, new.title);
    END""",
]
SQLITE_FILL = [
    "INSERT INTO articles_paragraph_fts(articles_paragraph_fts) VALUES ('rebuild')",
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_paragraph_fts_insert",
    "DROP TRIGGER IF EXISTS articles_paragraph_fts_delete",
    "DROP TRIGGER IF EXISTS articles_paragraph_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TABLE IF EXISTS articles_paragraph_fts",
    "DROP TABLE IF EXISTS articles_article_fts",
]

# The indexed expressions must match articles/search.py's queries character for character.
POSTGRESQL_CREATE = [
    "CREATE INDEX paragraph_text_search ON articles_paragraph"
    " USING gin (to_tsvector('simple'::regconfig, text))",
    "CREATE INDEX article_title_search ON articles_article"
    " USING gin (to_tsvector('simple'::regconfig, title))",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS paragraph_text_search",
    "DROP INDEX IF EXISTS article_title_search",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_TABLES + SQLITE_TRIGGERS + SQLITE_FILL)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_DROP)


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_roles")]

    operations = [migrations.RunPython(create, drop)]
