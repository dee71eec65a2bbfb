"""One SQLite search document per article instead of one per paragraph (articles/search/).

A common word made every matching paragraph a candidate (27 per article); one document per
article makes it one. PostgreSQL keeps its GIN indexes (0003_search). Going back restores
0003's tables and triggers.

Frozen history: the statements this migration ran are written out here, so changing today's
articles/triggers.py never changes what a fresh migrate builds.
"""

from django.db import migrations

FORWARD = [
    """DROP TRIGGER IF EXISTS articles_paragraph_fts_insert""",
    """DROP TRIGGER IF EXISTS articles_paragraph_fts_delete""",
    """DROP TRIGGER IF EXISTS articles_paragraph_fts_update""",
    """DROP TRIGGER IF EXISTS articles_article_fts_insert""",
    """DROP TRIGGER IF EXISTS articles_article_fts_delete""",
    """DROP TRIGGER IF EXISTS articles_article_fts_update""",
    """DROP TABLE IF EXISTS articles_paragraph_fts""",
    """DROP TABLE IF EXISTS articles_article_fts""",
    """DROP TABLE IF EXISTS articles_search_bulk""",
    """CREATE VIEW articles_search_document AS
    SELECT a.id AS id, a.title AS title, coalesce((
        SELECT group_concat(p.text, ' \ue000 ') FROM (
            SELECT text FROM articles_paragraph WHERE article_id = a.id ORDER BY position
        ) AS p), '') AS body
    FROM articles_article AS a""",
    """CREATE VIRTUAL TABLE articles_search_fts USING fts5(
    title, body, content='articles_search_document', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER articles_search_article_insert AFTER INSERT ON articles_article
    BEGIN INSERT INTO articles_search_fts(rowid, title, body) SELECT id, title, body FROM articles_search_document WHERE id = new.id; END""",
    """CREATE TRIGGER articles_search_article_unindex BEFORE UPDATE OF title ON articles_article
    WHEN old.title IS NOT new.title BEGIN INSERT INTO articles_search_fts(articles_search_fts, rowid, title, body) SELECT 'delete', id, title, body FROM articles_search_document WHERE id = old.id; END""",
    """CREATE TRIGGER articles_search_article_reindex AFTER UPDATE OF title ON articles_article
    WHEN old.title IS NOT new.title BEGIN INSERT INTO articles_search_fts(rowid, title, body) SELECT id, title, body FROM articles_search_document WHERE id = new.id; END""",
    """CREATE TRIGGER articles_search_article_delete BEFORE DELETE ON articles_article
    BEGIN INSERT INTO articles_search_fts(articles_search_fts, rowid, title, body) SELECT 'delete', id, title, body FROM articles_search_document WHERE id = old.id; END""",
    """CREATE TRIGGER articles_search_paragraph_unindex_insert BEFORE INSERT ON articles_paragraph
    BEGIN INSERT INTO articles_search_fts(articles_search_fts, rowid, title, body) SELECT 'delete', id, title, body FROM articles_search_document WHERE id = new.article_id; END""",
    """CREATE TRIGGER articles_search_paragraph_insert AFTER INSERT ON articles_paragraph
    BEGIN INSERT INTO articles_search_fts(rowid, title, body) SELECT id, title, body FROM articles_search_document WHERE id = new.article_id; END""",
    """CREATE TRIGGER articles_search_paragraph_unindex_update BEFORE UPDATE OF text, position,
    article_id ON articles_paragraph WHEN old.text IS NOT new.text OR old.position IS NOT new.position OR old.article_id IS NOT new.article_id BEGIN INSERT INTO articles_search_fts(articles_search_fts, rowid, title, body) SELECT 'delete', id, title, body FROM articles_search_document WHERE id = old.article_id;
    INSERT INTO articles_search_fts(articles_search_fts, rowid, title, body) SELECT 'delete', id, title, body FROM articles_search_document WHERE id = new.article_id AND new.article_id IS NOT old.article_id; END""",
    """CREATE TRIGGER articles_search_paragraph_update AFTER UPDATE OF text, position, article_id
    ON articles_paragraph WHEN old.text IS NOT new.text OR old.position IS NOT new.position OR old.article_id IS NOT new.article_id BEGIN INSERT INTO articles_search_fts(rowid, title, body) SELECT id, title, body FROM articles_search_document WHERE id = old.article_id;
    INSERT INTO articles_search_fts(rowid, title, body) SELECT id, title, body FROM articles_search_document WHERE id = new.article_id AND new.article_id IS NOT old.article_id; END""",
    """CREATE TRIGGER articles_search_paragraph_unindex_delete BEFORE DELETE ON articles_paragraph
    BEGIN INSERT INTO articles_search_fts(articles_search_fts, rowid, title, body) SELECT 'delete', id, title, body FROM articles_search_document WHERE id = old.article_id; END""",
    """CREATE TRIGGER articles_search_paragraph_delete AFTER DELETE ON articles_paragraph
    BEGIN INSERT INTO articles_search_fts(rowid, title, body) SELECT id, title, body FROM articles_search_document WHERE id = old.article_id; END""",
    """INSERT INTO articles_search_fts(articles_search_fts) VALUES ('rebuild')""",
]


BACKWARD = [
    """DROP TRIGGER IF EXISTS articles_search_article_insert""",
    """DROP TRIGGER IF EXISTS articles_search_article_unindex""",
    """DROP TRIGGER IF EXISTS articles_search_article_reindex""",
    """DROP TRIGGER IF EXISTS articles_search_article_delete""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_unindex_insert""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_insert""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_unindex_update""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_update""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_unindex_delete""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_delete""",
    """DROP TABLE IF EXISTS articles_search_fts""",
    """DROP VIEW IF EXISTS articles_search_document""",
    """CREATE VIRTUAL TABLE articles_paragraph_fts USING fts5(
        text, content='articles_paragraph', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        title, content='articles_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
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
    """INSERT INTO articles_paragraph_fts(articles_paragraph_fts) VALUES ('rebuild')""",
    """INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_article_tally")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
