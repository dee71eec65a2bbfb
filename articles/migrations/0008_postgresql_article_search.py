"""One PostgreSQL search document per article instead of GIN indexes per paragraph and title.

articles/triggers.py says why and how. SQLite did the same in 0007_article_search. Going back
restores 0003's GIN indexes.

Frozen history: the statements this migration ran are written out here, so changing today's
articles/triggers.py never changes what a fresh migrate builds.
"""

from django.db import migrations

FORWARD = [
    """DROP INDEX IF EXISTS paragraph_text_search""",
    """DROP INDEX IF EXISTS article_title_search""",
    """CREATE TABLE articles_search_document (
        article_id bigint PRIMARY KEY, document tsvector NOT NULL)""",
    """CREATE INDEX articles_search_document_gin ON articles_search_document USING gin (document)""",
    """CREATE FUNCTION articles_search_refresh(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO articles_search_document AS d (article_id, document)
    SELECT a.id, to_tsvector('simple'::regconfig, left(a.title || ' /p ' || coalesce((
        SELECT string_agg(p.text, ' /p ' ORDER BY p.position)
        FROM articles_paragraph AS p WHERE p.article_id = a.id), ''), 120000))
    FROM articles_article AS a WHERE a.id = ANY(ids)
    ON CONFLICT (article_id) DO UPDATE SET document = excluded.document;
    DELETE FROM articles_search_document AS d WHERE d.article_id = ANY(ids)
    AND NOT EXISTS (SELECT FROM articles_article AS a WHERE a.id = d.article_id);
    $$""",
    """CREATE FUNCTION articles_search_new_articles() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM articles_search_refresh(ARRAY(SELECT id FROM new_rows)); RETURN NULL; END $$""",
    """CREATE FUNCTION articles_search_new_paragraphs() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM articles_search_refresh(ARRAY(SELECT DISTINCT article_id FROM new_rows)); RETURN NULL; END $$""",
    """CREATE FUNCTION articles_search_old_paragraphs() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM articles_search_refresh(ARRAY(SELECT DISTINCT article_id FROM old_rows)); RETURN NULL; END $$""",
    """CREATE FUNCTION articles_search_old_articles() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN DELETE FROM articles_search_document WHERE article_id IN (SELECT id FROM old_rows); RETURN NULL; END $$""",
    """CREATE FUNCTION articles_search_changed_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM articles_search_refresh(ARRAY[NEW.id]); RETURN NULL; END $$""",
    """CREATE FUNCTION articles_search_changed_paragraph() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM articles_search_refresh(ARRAY[OLD.article_id, NEW.article_id]); RETURN NULL; END $$""",
    """CREATE FUNCTION articles_search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN DELETE FROM articles_search_document; RETURN NULL; END $$""",
    """CREATE TRIGGER articles_search_article_insert AFTER INSERT ON articles_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_new_articles()""",
    """CREATE TRIGGER articles_search_article_update AFTER UPDATE OF title
    ON articles_article FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION articles_search_changed_article()""",
    """CREATE TRIGGER articles_search_article_delete AFTER DELETE ON articles_article
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_old_articles()""",
    """CREATE TRIGGER articles_search_article_truncate AFTER TRUNCATE ON articles_article
    FOR EACH STATEMENT EXECUTE FUNCTION articles_search_truncated()""",
    """CREATE TRIGGER articles_search_paragraph_insert AFTER INSERT ON articles_paragraph
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_new_paragraphs()""",
    """CREATE TRIGGER articles_search_paragraph_update
    AFTER UPDATE OF text, position, article_id ON articles_paragraph FOR EACH ROW
    WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.position IS DISTINCT FROM NEW.position
        OR OLD.article_id IS DISTINCT FROM NEW.article_id)
    EXECUTE FUNCTION articles_search_changed_paragraph()""",
    """CREATE TRIGGER articles_search_paragraph_delete AFTER DELETE ON articles_paragraph
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_old_paragraphs()""",
    """SELECT articles_search_refresh(ARRAY(SELECT id FROM articles_article))""",
    """ANALYZE articles_search_document""",
]


BACKWARD = [
    """DROP TRIGGER IF EXISTS articles_search_article_insert ON articles_article""",
    """DROP TRIGGER IF EXISTS articles_search_article_update ON articles_article""",
    """DROP TRIGGER IF EXISTS articles_search_article_delete ON articles_article""",
    """DROP TRIGGER IF EXISTS articles_search_article_truncate ON articles_article""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_insert ON articles_paragraph""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_update ON articles_paragraph""",
    """DROP TRIGGER IF EXISTS articles_search_paragraph_delete ON articles_paragraph""",
    """DROP FUNCTION IF EXISTS articles_search_new_articles()""",
    """DROP FUNCTION IF EXISTS articles_search_new_paragraphs()""",
    """DROP FUNCTION IF EXISTS articles_search_old_paragraphs()""",
    """DROP FUNCTION IF EXISTS articles_search_old_articles()""",
    """DROP FUNCTION IF EXISTS articles_search_changed_article()""",
    """DROP FUNCTION IF EXISTS articles_search_changed_paragraph()""",
    """DROP FUNCTION IF EXISTS articles_search_truncated()""",
    """DROP FUNCTION IF EXISTS articles_search_refresh(bigint[])""",
    """DROP TABLE IF EXISTS articles_search_document""",
    """CREATE INDEX paragraph_text_search ON articles_paragraph USING gin (to_tsvector('simple'::regconfig, text))""",
    """CREATE INDEX article_title_search ON articles_article USING gin (to_tsvector('simple'::regconfig, title))""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_article_search")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
