"""PostgreSQL's search index: ONE tsvector document per article, like SQLite's FTS5 document.

Before (migration 0003_search) PostgreSQL had GIN indexes on to_tsvector() of each paragraph's
text and each title. A word found in most paragraphs ("said") then made every matching
paragraph a candidate, 27 per article, before the matches were reduced to articles: 4.5 to 7 s
per queue page at 100,000 articles. An article's document makes it one candidate.

articles_search_document holds (article_id, document): to_tsvector('simple', …) of the title
and the paragraphs' text in order, each separated by the token " /p ". The parser reads "/p"
as a file name: a word of its own, so a phrase never runs from the end of one paragraph into
the next, and one that no query can contain (articles.search.words() keeps letters and digits
only). A tsvector holds word positions up to 16,383 and at most 1 MB, so a document is made
of the first DOCUMENT_CHARS characters (an article of about 20,000 words; news articles are far
shorter); a longer one is found by the words in that part.

Triggers keep the documents exact whatever writes the rows (importer, admin, services, raw SQL):
statement-level ones with transition tables for inserts and deletes, so a bulk insert of 5,000
paragraphs makes each of its articles' documents once, not once per paragraph; row-level ones
for updates of a title or a paragraph's text, position or article (rare; the label columns
never fire them). Made by migration 0008_postgresql_article_search.
"""

DOCUMENT_CHARS = 120_000
SEPARATOR = " /p "

# Constant SQL (no user input anywhere in these strings).
_REFRESH = f"""CREATE FUNCTION articles_search_refresh(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO articles_search_document AS d (article_id, document)
    SELECT a.id, to_tsvector('simple'::regconfig, left(a.title || '{SEPARATOR}' || coalesce((
        SELECT string_agg(p.text, '{SEPARATOR}' ORDER BY p.position)
        FROM articles_paragraph AS p WHERE p.article_id = a.id), ''), {DOCUMENT_CHARS}))
    FROM articles_article AS a WHERE a.id = ANY(ids)
    ON CONFLICT (article_id) DO UPDATE SET document = excluded.document;
    DELETE FROM articles_search_document AS d WHERE d.article_id = ANY(ids)
    AND NOT EXISTS (SELECT FROM articles_article AS a WHERE a.id = d.article_id);
    $$"""  # noqa: S608


def _trigger_function(name: str, body: str) -> str:
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {body} RETURN NULL; END $$"""


CREATE = [
    """CREATE TABLE articles_search_document (
        article_id bigint PRIMARY KEY, document tsvector NOT NULL)""",
    "CREATE INDEX articles_search_document_gin ON articles_search_document"
    " USING gin (document)",
    _REFRESH,
    _trigger_function(
        "articles_search_new_articles",
        "PERFORM articles_search_refresh(ARRAY(SELECT id FROM new_rows));",
    ),
    _trigger_function(
        "articles_search_new_paragraphs",
        "PERFORM articles_search_refresh("
        "ARRAY(SELECT DISTINCT article_id FROM new_rows));",
    ),
    _trigger_function(
        "articles_search_old_paragraphs",
        "PERFORM articles_search_refresh("
        "ARRAY(SELECT DISTINCT article_id FROM old_rows));",
    ),
    _trigger_function(
        "articles_search_old_articles",
        "DELETE FROM articles_search_document"
        " WHERE article_id IN (SELECT id FROM old_rows);",
    ),
    _trigger_function(
        "articles_search_changed_article",
        "PERFORM articles_search_refresh(ARRAY[NEW.id]);",
    ),
    _trigger_function(
        "articles_search_changed_paragraph",
        "PERFORM articles_search_refresh(ARRAY[OLD.article_id, NEW.article_id]);",
    ),
    _trigger_function(
        "articles_search_truncated", "DELETE FROM articles_search_document;"
    ),
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
    # Every article there is, in one statement.
    "SELECT articles_search_refresh(ARRAY(SELECT id FROM articles_article))",
    "ANALYZE articles_search_document",
]

DROP = [
    "DROP TRIGGER IF EXISTS articles_search_article_insert ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_article_update ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_article_delete ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_article_truncate ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_paragraph_insert ON articles_paragraph",
    "DROP TRIGGER IF EXISTS articles_search_paragraph_update ON articles_paragraph",
    "DROP TRIGGER IF EXISTS articles_search_paragraph_delete ON articles_paragraph",
    "DROP FUNCTION IF EXISTS articles_search_new_articles()",
    "DROP FUNCTION IF EXISTS articles_search_new_paragraphs()",
    "DROP FUNCTION IF EXISTS articles_search_old_paragraphs()",
    "DROP FUNCTION IF EXISTS articles_search_old_articles()",
    "DROP FUNCTION IF EXISTS articles_search_changed_article()",
    "DROP FUNCTION IF EXISTS articles_search_changed_paragraph()",
    "DROP FUNCTION IF EXISTS articles_search_truncated()",
    "DROP FUNCTION IF EXISTS articles_search_refresh(bigint[])",
    "DROP TABLE IF EXISTS articles_search_document",
]

# What articles.search reads.
MATCHING = (
    "SELECT article_id FROM articles_search_document"
    " WHERE document @@ to_tsquery('simple'::regconfig, %s)"
)
NEWEST = MATCHING + " ORDER BY article_id DESC LIMIT %s"
# The index's pending entries merged in (articles.search.settle_index); returns how many pages.
SETTLE = "SELECT gin_clean_pending_list('articles_search_document_gin'::regclass)"
