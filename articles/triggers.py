"""The database triggers the product relies on, in one place, with the SQL that makes them.

- Queue tallies (ArticleTally): articles per (source, status), kept exact by triggers on
  articles_article, so the queue's totals are a few rows, not a count (a GROUP BY over every
  article cost 66 ms per queue page at 100,000 articles). Every writer keeps them right
  (importer, label writes, reset, propagation, admin, deletes, raw SQL).
- Search (articles.search): ONE document per article, its title and its paragraphs' text.
  SQLite: an FTS5 index with external content over a view (the text is not stored twice).
  PostgreSQL: to_tsvector('simple', …) in articles_search_document with a GIN index. Before,
  one index entry per paragraph made a common word ("said") 27 candidates per article: 1.7 s
  (SQLite) and 4.5 to 7 s (PostgreSQL) per queue page at 100,000 articles.

Paragraphs are joined with a separator no query can contain (articles.search.queries.words()
keeps letters and digits only), so a phrase never runs from one paragraph into the next.
PostgreSQL indexes an article's first DOCUMENT_CHARS characters (a tsvector holds positions up
to 16,383 and at most 1 MB). FTS5 must be told the exact text it indexed to remove a document,
so SQLite's triggers remove an article's document BEFORE a change and add it again AFTER.
PostgreSQL's are statement-level with transition tables for inserts and deletes (a bulk insert
of 5,000 paragraphs makes each article's document once) and row-level for rare updates.

The migrations that made these (0006, 0007, 0008) carry their own copy of the SQL. SQLite
drops a table's triggers when a migration rebuilds the table (AddField/AlterField copy the
rows into a new table), so after every migrate ensure_sqlite_triggers() (articles.apps) puts
back any that are missing or out of date, and recounts or reindexes when one was missing.
The sign-off withdrawal trigger (articles.quality) is in articles/signoff_triggers.py and the
dashboard's roll-ups have their triggers and their recount in articles/rollup_triggers.py;
ensure_sqlite_triggers() puts those back too.

All of this is constant SQL: no user input reaches any of these strings.
"""

from django.conf import settings
from django.db import connections

from articles.rollup_triggers import DASHBOARD_SQLITE, dashboard_recount
from articles.signoff_triggers import (  # noqa: F401  (importable from here, like the rest)
    SIGN_OFF_POSTGRESQL,
    SIGN_OFF_POSTGRESQL_DROP,
    SIGN_OFF_SQLITE,
    SIGN_OFF_WITHDRAWN_REASON,
)

# --- Queue tallies ------------------------------------------------------------------------

TALLY_SQLITE = {
    "articles_article_tally_insert": """AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_articletally(source, status, articles)
        VALUES (new.source, new.status, 1)
        ON CONFLICT(source, status) DO UPDATE SET articles = articles + 1; END""",
    "articles_article_tally_delete": """AFTER DELETE ON articles_article BEGIN
        UPDATE articles_articletally SET articles = articles - 1
        WHERE source = old.source AND status = old.status; END""",
    "articles_article_tally_update": """AFTER UPDATE OF source, status ON articles_article
    WHEN old.source IS NOT new.source OR old.status IS NOT new.status BEGIN
        UPDATE articles_articletally SET articles = articles - 1
        WHERE source = old.source AND status = old.status;
        INSERT INTO articles_articletally(source, status, articles)
        VALUES (new.source, new.status, 1)
        ON CONFLICT(source, status) DO UPDATE SET articles = articles + 1; END""",
}

# Concurrency: a transaction that changes an article's status holds the two tally rows it
# touched until it commits. Both are changed by one statement in one fixed order (by source,
# then status), so two reviewers moving articles in opposite directions (unreviewed → in
# progress, in progress → unreviewed) queue up instead of deadlocking.
TALLY_POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION articles_article_tally() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        old_key text[];
        new_key text[];
    BEGIN
        IF TG_OP <> 'INSERT' THEN old_key := ARRAY[OLD.source, OLD.status]; END IF;
        IF TG_OP <> 'DELETE' THEN new_key := ARRAY[NEW.source, NEW.status]; END IF;
        INSERT INTO articles_articletally AS tally (source, status, articles)
        SELECT change.key[1], change.key[2], sum(change.delta)
        FROM (VALUES (old_key, -1), (new_key, 1)) AS change(key, delta)
        WHERE change.key IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (source, status)
        DO UPDATE SET articles = tally.articles + excluded.articles;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER articles_article_tally_insert_delete
    AFTER INSERT OR DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_tally()""",
    """CREATE TRIGGER articles_article_tally_update
    AFTER UPDATE OF source, status ON articles_article FOR EACH ROW
    WHEN (OLD.source IS DISTINCT FROM NEW.source OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION articles_article_tally()""",
]
TALLY_POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_article_tally_insert_delete ON articles_article",
    "DROP TRIGGER IF EXISTS articles_article_tally_update ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_tally()",
]

TALLY_RECOUNT = [
    "DELETE FROM articles_articletally",
    "INSERT INTO articles_articletally (source, status, articles)"
    " SELECT source, status, count(*) FROM articles_article GROUP BY source, status",
]


# --- Search: SQLite ---------------------------------------------------------------------

SQLITE_SEPARATOR = "\ue000"
# Constant SQL (no user input anywhere in these strings).
SEARCH_SQLITE_VIEW = f"""CREATE VIEW articles_search_document AS
    SELECT a.id AS id, a.title AS title, coalesce((
        SELECT group_concat(p.text, ' {SQLITE_SEPARATOR} ') FROM (
            SELECT text FROM articles_paragraph WHERE article_id = a.id ORDER BY position
        ) AS p), '') AS body
    FROM articles_article AS a"""  # noqa: S608
SEARCH_SQLITE_INDEX = """CREATE VIRTUAL TABLE articles_search_fts USING fts5(
    title, body, content='articles_search_document', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0')"""
SEARCH_SQLITE_REBUILD = (
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
SEARCH_SQLITE = {
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
SEARCH_SQLITE_BULK = (
    "articles_search_article_insert",
    "articles_search_paragraph_unindex_insert",
    "articles_search_paragraph_insert",
)


# The triggers that index an article's changed paragraphs row by row (and its title): a
# revision (articles.revisions) drops them for its block and reindexes the article once.
SEARCH_SQLITE_ARTICLE = (
    "articles_search_article_unindex",
    "articles_search_article_reindex",
    "articles_search_paragraph_unindex_insert",
    "articles_search_paragraph_insert",
    "articles_search_paragraph_unindex_update",
    "articles_search_paragraph_update",
    "articles_search_paragraph_unindex_delete",
    "articles_search_paragraph_delete",
)
SEARCH_SQLITE_REMOVE = _remove("%s")
SEARCH_SQLITE_ADD = _add("%s")


# --- Search: PostgreSQL -----------------------------------------------------------------

DOCUMENT_CHARS = 120_000
POSTGRESQL_SEPARATOR = " /p "

# Constant SQL (no user input anywhere in these strings).
_REFRESH = f"""CREATE FUNCTION articles_search_refresh(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO articles_search_document AS d (article_id, document)
    SELECT a.id, to_tsvector('simple'::regconfig, left(a.title || '{POSTGRESQL_SEPARATOR}' || coalesce((
        SELECT string_agg(p.text, '{POSTGRESQL_SEPARATOR}' ORDER BY p.position)
        FROM articles_paragraph AS p WHERE p.article_id = a.id), ''), {DOCUMENT_CHARS}))
    FROM articles_article AS a WHERE a.id = ANY(ids)
    ON CONFLICT (article_id) DO UPDATE SET document = excluded.document;
    DELETE FROM articles_search_document AS d WHERE d.article_id = ANY(ids)
    AND NOT EXISTS (SELECT FROM articles_article AS a WHERE a.id = d.article_id);
    $$"""  # noqa: S608


def _trigger_function(name: str, body: str) -> str:
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {body} RETURN NULL; END $$"""


SEARCH_POSTGRESQL = [
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

SEARCH_POSTGRESQL_DROP = [
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


# --- After every migrate (SQLite) ---------------------------------------------------------


def _put_back(
    cursor, *, table: str, triggers: dict[str, str]
) -> tuple[list[str], bool]:
    """Create each of `triggers` ({name: body after "CREATE TRIGGER name"}) that is missing or
    differs from its definition, if `table` exists. Returns (the names made, whether any was
    missing rather than outdated): rows written while one was missing were not seen by it, so
    a missing dashboard trigger means its roll-ups are recounted.
    """
    cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE name = %s", [table])
    if not cursor.fetchall():
        return [], False
    names = list(triggers)
    marks = ", ".join(["%s"] * len(names))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",  # noqa: S608 (placeholders only)
        names,
    )
    present = dict(cursor.fetchall())
    made, missing = [], False
    for name, body in triggers.items():
        wanted = f"CREATE TRIGGER {name} {body}"
        if present.get(name) == wanted:
            continue
        missing = missing or name not in present
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(wanted)
        made.append(name)
    return made, missing


def ensure_sqlite_triggers(*, using: str = "default", **kwargs) -> list[str]:
    """Make missing or outdated tally, sign-off, search and dashboard triggers; returns their
    names.

    A post_migrate receiver (articles.apps); does nothing before the migrations that made them
    (0006, 0007) or off SQLite. A missing tally trigger may have let articles change uncounted:
    all are recounted; a missing search trigger, rows written unindexed: the index is rebuilt.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        tallies, _ = _put_back(
            cursor, table="articles_articletally", triggers=TALLY_SQLITE
        )
        if tallies:
            for statement in TALLY_RECOUNT:
                cursor.execute(statement)
        # A sign-off withdrawn while its trigger was missing has no withdrawal recorded; the
        # article's own state (signed_off_id) was right all along.
        sign_off, _ = _put_back(
            cursor, table="articles_signoff", triggers=SIGN_OFF_SQLITE
        )
        search, missing = _put_back(
            cursor, table="articles_search_fts", triggers=SEARCH_SQLITE
        )
        if missing:
            cursor.execute(SEARCH_SQLITE_REBUILD)
        dashboard, missing = _put_back(
            cursor, table="articles_labelday", triggers=DASHBOARD_SQLITE
        )
        if missing:
            cursor.execute(
                "SELECT fast_labels, fast_seconds FROM articles_dashboardsetting"
            )
            rule = cursor.fetchone() or (
                settings.NEWSREVIEW_FAST_RUN_LABELS,
                settings.NEWSREVIEW_FAST_RUN_SECONDS,
            )
            for statement in dashboard_recount(
                "sqlite", fast_labels=rule[0], fast_seconds=rule[1]
            ):
                cursor.execute(statement)
    return tallies + sign_off + search + dashboard
