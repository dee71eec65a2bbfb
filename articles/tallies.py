"""Articles per (source, status), kept by the database, so the queue's totals are not a count.

Counting the status and source totals with a GROUP BY reads every article on every queue page
(66 ms at 100,000 articles, more than the rest of the page). ArticleTally holds the same numbers
in one row per (source, status); triggers on articles_article keep it exact, so no writer can
forget it (importer, label services, reset, propagation and undo, admin, deletes, raw SQL).
Made by migration 0006_article_tally.

SQLite drops a table's triggers when a migration rebuilds it, as with the search index
(articles.search), so ensure_sqlite_triggers() puts them back after every migrate and recounts.
"""

from django.db import connections

from articles.sqlite_triggers import put_back

_SQLITE_TRIGGERS = {
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
POSTGRESQL_CREATE = [
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
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_article_tally_insert_delete ON articles_article",
    "DROP TRIGGER IF EXISTS articles_article_tally_update ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_tally()",
]

RECOUNT = [
    "DELETE FROM articles_articletally",
    "INSERT INTO articles_articletally (source, status, articles)"
    " SELECT source, status, count(*) FROM articles_article GROUP BY source, status",
]


def create(cursor, vendor: str) -> None:
    """Make the triggers and count what is there (migration 0006_article_tally)."""
    if vendor == "sqlite":
        for name, body in _SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER {name} {body}")
    elif vendor == "postgresql":
        for statement in POSTGRESQL_CREATE:
            cursor.execute(statement)
    for statement in RECOUNT:
        cursor.execute(statement)


def drop(cursor, vendor: str) -> None:
    if vendor == "sqlite":
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif vendor == "postgresql":
        for statement in POSTGRESQL_DROP:
            cursor.execute(statement)


def ensure_sqlite_triggers(*, using: str = "default", **kwargs) -> list[str]:
    """Make missing or outdated tally triggers; returns their names.

    A post_migrate receiver (articles.apps); does nothing before 0006_article_tally or off
    SQLite. When a trigger was missing, articles may have changed uncounted: all are recounted.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        made, _ = put_back(
            cursor, table="articles_articletally", triggers=_SQLITE_TRIGGERS
        )
        if made:
            for statement in RECOUNT:
                cursor.execute(statement)
    return made
