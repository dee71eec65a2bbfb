"""Dashboard days in the desk's time zone (settings.TIME_ZONE) instead of UTC.

DashboardSetting.time_zone records the zone the roll-ups' days were counted in. PostgreSQL's
triggers read it (the functions are replaced here); SQLite's count with `date(…, 'localtime')`,
the process's zone, which Django sets from TIME_ZONE. Then everything is recounted in the
settings' zone, so an existing desk's figures move to its own calendar at once.

SQLite rebuilds articles_dashboardsetting to add the column and refuses to while triggers on
other tables read it: the dashboard's triggers go, and articles.triggers.ensure_sqlite_triggers
(post_migrate) makes them again from articles.rollup_triggers and recounts, as after 0012.

Frozen history: the PostgreSQL statements are written out here (<FAST_…> and <TIME_ZONE> filled
in when it runs), so changing today's articles/rollup_triggers.py never changes what a fresh
migrate builds.
"""

import importlib
import re

from django.conf import settings
from django.db import migrations, models

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_dashboard_event_insert ON articles_labelevent",
    "DROP TRIGGER IF EXISTS articles_dashboard_article_insert ON articles_article",
    "DROP TRIGGER IF EXISTS articles_dashboard_article_delete ON articles_article",
    "DROP TRIGGER IF EXISTS articles_dashboard_article_update ON articles_article",
    "DROP FUNCTION IF EXISTS articles_dashboard_events()",
    "DROP FUNCTION IF EXISTS articles_dashboard_article()",
    "DROP TRIGGER IF EXISTS articles_dashboard_event_edit ON articles_labelevent",
    "DROP TRIGGER IF EXISTS articles_dashboard_article_reimport ON articles_article",
    "DROP FUNCTION IF EXISTS articles_dashboard_articles_in_out()",
    "DROP FUNCTION IF EXISTS articles_dashboard_stale()",
]

POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION articles_dashboard_events() RETURNS trigger\n    LANGUAGE plpgsql AS $$\n    BEGIN\n        INSERT INTO articles_labelday AS d (day, reviewer_id, source, verified, unverified,\n            boilerplate, cleared, by_hand, fast)\n        SELECT ((e.created_at) AT TIME ZONE (SELECT time_zone FROM articles_dashboardsetting WHERE id = 1))::date, coalesce(e.user_id, 0), a.source,\n            count(*) FILTER (WHERE e.new_value = 'verified'),\n            count(*) FILTER (WHERE e.new_value = 'unverified'),\n            count(*) FILTER (WHERE e.new_value = 'boilerplate'),\n            count(*) FILTER (WHERE e.new_value = ''),\n            count(*) FILTER (WHERE e.method IN ('click', 'keyboard') AND e.new_value <> ''),\n            count(*) FILTER (WHERE run.fast)\n        FROM new_rows AS e JOIN articles_article AS a ON a.id = e.article_id\n        LEFT JOIN LATERAL (\n            SELECT round(extract(epoch FROM e.created_at - p.created_at) * 1000)::bigint <= (SELECT fast_seconds * 1000 FROM articles_dashboardsetting WHERE id = 1) AS fast\n            FROM articles_labelevent AS p\n    WHERE p.user_id = e.user_id AND p.field = 'label' AND p.method IN ('click', 'keyboard')\n    AND (p.created_at, p.id) < (e.created_at, e.id)\n    ORDER BY p.created_at DESC, p.id DESC OFFSET (SELECT fast_labels - 2 FROM articles_dashboardsetting WHERE id = 1) LIMIT 1\n        ) AS run ON e.method IN ('click', 'keyboard')\n        WHERE e.field = 'label' AND e.method NOT IN ('carried', 'merged', 'revision')\n        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3\n        ON CONFLICT (day, reviewer_id, source) DO UPDATE SET\n            verified = d.verified + excluded.verified,\n            unverified = d.unverified + excluded.unverified,\n            boilerplate = d.boilerplate + excluded.boilerplate,\n            cleared = d.cleared + excluded.cleared,\n            by_hand = d.by_hand + excluded.by_hand,\n            fast = d.fast + excluded.fast;\n        INSERT INTO articles_paceday AS d (day, reviewer_id, seconds, events)\n        SELECT ((e.created_at) AT TIME ZONE (SELECT time_zone FROM articles_dashboardsetting WHERE id = 1))::date, e.user_id, CASE WHEN gap.ms < 120000 THEN gap.ms / 1000 WHEN gap.ms < 600000 THEN gap.ms / 10000 * 10 ELSE gap.ms / 60000 * 60 END, count(*)\n        FROM new_rows AS e CROSS JOIN LATERAL (\n            SELECT round(extract(epoch FROM e.created_at - p.created_at) * 1000)::bigint AS ms FROM articles_labelevent AS p\n    WHERE p.user_id = e.user_id AND p.field = 'label' AND p.method IN ('click', 'keyboard')\n    AND (p.created_at, p.id) < (e.created_at, e.id)\n    ORDER BY p.created_at DESC, p.id DESC LIMIT 1\n        ) AS gap\n        WHERE e.field = 'label' AND e.method IN ('click', 'keyboard')\n        AND gap.ms < 3600000\n        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3\n        ON CONFLICT (day, reviewer_id, seconds) DO UPDATE SET events = d.events + excluded.events;\n        RETURN NULL;\n    END $$",
    "CREATE TRIGGER articles_dashboard_event_insert AFTER INSERT ON articles_labelevent\n    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT\n    EXECUTE FUNCTION articles_dashboard_events()",
    "CREATE OR REPLACE FUNCTION articles_dashboard_article() RETURNS trigger\n    LANGUAGE plpgsql AS $$\n    DECLARE\n        change_day date;\n    BEGIN\n        IF NEW.last_reviewed_at IS NOT NULL\n            AND NEW.last_reviewed_at IS DISTINCT FROM OLD.last_reviewed_at THEN\n            change_day := ((NEW.last_reviewed_at) AT TIME ZONE (SELECT time_zone FROM articles_dashboardsetting WHERE id = 1))::date;\n        ELSE\n            change_day := ((now()) AT TIME ZONE (SELECT time_zone FROM articles_dashboardsetting WHERE id = 1))::date;\n        END IF;\n        INSERT INTO articles_statusday AS s (day, source, status, delta)\n        SELECT change_day, change.source, change.status, sum(change.delta)\n        FROM (VALUES (OLD.source, OLD.status, -1), (NEW.source, NEW.status, 1))\n            AS change(source, status, delta)\n        GROUP BY 2, 3 ORDER BY 2, 3\n        ON CONFLICT (day, source, status) DO UPDATE SET delta = s.delta + excluded.delta;\n        IF NEW.status = 'reviewed' AND OLD.status IN ('unreviewed', 'in_progress') THEN\n            INSERT INTO articles_labelday AS l (day, reviewer_id, source, finished)\n            VALUES (change_day, coalesce(NEW.last_reviewed_by_id, 0), NEW.source, 1)\n            ON CONFLICT (day, reviewer_id, source) DO UPDATE SET finished = l.finished + 1;\n        END IF;\n        RETURN NULL;\n    END $$",
    "CREATE OR REPLACE FUNCTION articles_dashboard_articles_in_out() RETURNS trigger\n    LANGUAGE plpgsql AS $$\n    BEGIN\n        IF TG_OP = 'INSERT' THEN\n            INSERT INTO articles_statusday AS s (day, source, status, delta)\n            SELECT ((imported_at) AT TIME ZONE (SELECT time_zone FROM articles_dashboardsetting WHERE id = 1))::date, source, status, count(*)\n            FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3\n            ON CONFLICT (day, source, status) DO UPDATE SET delta = s.delta + excluded.delta;\n        ELSE\n            INSERT INTO articles_statusday AS s (day, source, status, delta)\n            SELECT ((now()) AT TIME ZONE (SELECT time_zone FROM articles_dashboardsetting WHERE id = 1))::date, source, status, -count(*)\n            FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3\n            ON CONFLICT (day, source, status) DO UPDATE SET delta = s.delta + excluded.delta;\n        END IF;\n        RETURN NULL;\n    END $$",
    "CREATE TRIGGER articles_dashboard_article_insert AFTER INSERT ON articles_article\n    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT\n    EXECUTE FUNCTION articles_dashboard_articles_in_out()",
    "CREATE TRIGGER articles_dashboard_article_delete AFTER DELETE ON articles_article\n    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT\n    EXECUTE FUNCTION articles_dashboard_articles_in_out()",
    "CREATE TRIGGER articles_dashboard_article_update\n    AFTER UPDATE OF source, status ON articles_article FOR EACH ROW\n    WHEN (OLD.source IS DISTINCT FROM NEW.source OR OLD.status IS DISTINCT FROM NEW.status)\n    EXECUTE FUNCTION articles_dashboard_article()",
    "CREATE OR REPLACE FUNCTION articles_dashboard_stale() RETURNS trigger\n    LANGUAGE plpgsql AS $$\n    BEGIN UPDATE articles_dashboardsetting SET stale = true WHERE id = 1 AND NOT stale; RETURN NULL; END $$",
    "CREATE TRIGGER articles_dashboard_event_edit\n    AFTER UPDATE OF created_at, user_id, field, old_value, new_value, method, article_id OR DELETE OR TRUNCATE ON articles_labelevent\n    FOR EACH STATEMENT EXECUTE FUNCTION articles_dashboard_stale()",
    "CREATE TRIGGER articles_dashboard_article_reimport\n    AFTER UPDATE OF imported_at ON articles_article FOR EACH ROW\n    WHEN (OLD.imported_at IS DISTINCT FROM NEW.imported_at)\n    EXECUTE FUNCTION articles_dashboard_stale()",
]

POSTGRESQL_RECOUNT = [
    "DELETE FROM articles_labelday",
    "DELETE FROM articles_paceday",
    "DELETE FROM articles_statusday",
    "DELETE FROM articles_dashboardsetting",
    "INSERT INTO articles_dashboardsetting (id, fast_labels, fast_seconds, time_zone) VALUES (1, <FAST_LABELS>, <FAST_SECONDS>, '<TIME_ZONE>')",
    "INSERT INTO articles_labelday (day, reviewer_id, source, verified, unverified,\n            boilerplate, cleared, by_hand)\n        SELECT ((e.created_at) AT TIME ZONE '<TIME_ZONE>')::date, coalesce(e.user_id, 0), a.source,\n            sum(CASE WHEN e.new_value = 'verified' THEN 1 ELSE 0 END),\n            sum(CASE WHEN e.new_value = 'unverified' THEN 1 ELSE 0 END),\n            sum(CASE WHEN e.new_value = 'boilerplate' THEN 1 ELSE 0 END),\n            sum(CASE WHEN e.new_value = '' THEN 1 ELSE 0 END),\n            sum(CASE WHEN e.method IN ('click', 'keyboard') AND e.new_value <> ''\n                THEN 1 ELSE 0 END)\n        FROM articles_labelevent AS e JOIN articles_article AS a ON a.id = e.article_id\n        WHERE e.field = 'label' AND e.method NOT IN ('carried', 'merged', 'revision')\n        GROUP BY ((e.created_at) AT TIME ZONE '<TIME_ZONE>')::date, coalesce(e.user_id, 0), a.source",
    "DROP TABLE IF EXISTS dashboard_status_changes",
    "CREATE TEMPORARY TABLE dashboard_status_changes AS\n        WITH hand AS (\n            SELECT e.user_id, e.article_id, e.created_at,\n                lag(e.created_at) OVER w AS previous,\n                lag(e.created_at, <FAST_LAG>) OVER w AS run_start\n            FROM articles_labelevent AS e\n            WHERE e.field = 'label' AND e.method IN ('click', 'keyboard')\n            AND e.user_id IS NOT NULL\n            WINDOW w AS (PARTITION BY e.user_id ORDER BY e.created_at, e.id)\n        )\n        SELECT hand.user_id, hand.article_id, ((hand.created_at) AT TIME ZONE '<TIME_ZONE>')::date AS day,\n            round(extract(epoch FROM hand.created_at - hand.previous) * 1000)::bigint AS ms,\n            round(extract(epoch FROM hand.created_at - hand.run_start) * 1000)::bigint <= <FAST_MS> AS fast\n        FROM hand",
    "INSERT INTO articles_paceday (day, reviewer_id, seconds, events)\n        SELECT day, user_id, CASE WHEN ms < 120000 THEN ms / 1000 WHEN ms < 600000 THEN ms / 10000 * 10 ELSE ms / 60000 * 60 END, count(*) FROM dashboard_status_changes\n        WHERE ms < 3600000 GROUP BY day, user_id, CASE WHEN ms < 120000 THEN ms / 1000 WHEN ms < 600000 THEN ms / 10000 * 10 ELSE ms / 60000 * 60 END",
    "INSERT INTO articles_labelday AS d (day, reviewer_id, source, fast)\n        SELECT c.day, c.user_id, a.source, count(*)\n        FROM dashboard_status_changes AS c JOIN articles_article AS a ON a.id = c.article_id\n        WHERE c.fast GROUP BY c.day, c.user_id, a.source\n        ON CONFLICT (day, reviewer_id, source) DO UPDATE SET fast = excluded.fast",
    "DROP TABLE dashboard_status_changes",
    "CREATE TEMPORARY TABLE dashboard_status_changes AS\n        WITH events AS (\n            SELECT e.id, e.article_id, e.user_id, e.created_at,\n                CASE WHEN e.new_value <> '' THEN 1 ELSE 0 END\n                - CASE WHEN e.old_value <> '' THEN 1 ELSE 0 END AS delta\n            FROM articles_labelevent AS e WHERE e.field = 'label'\n        ),\n        net AS (\n            SELECT article_id, sum(delta) AS delta, min(created_at) AS first\n            FROM events GROUP BY article_id\n        ),\n        articles AS (\n            SELECT a.id, a.source, a.status, a.paragraph_count AS total,\n                CASE WHEN net.first < a.imported_at THEN net.first\n                    ELSE a.imported_at END AS imported_at,\n                a.last_reviewed_at, coalesce(a.last_reviewed_by_id, 0) AS reviewer,\n                a.verified_count + a.unverified_count + a.boilerplate_count - coalesce(net.delta, 0) AS start,\n                (SELECT s.at FROM articles_signoff AS s WHERE s.id = a.signed_off_id)\n                    AS signed_off_at\n            FROM articles_article AS a LEFT JOIN net ON net.article_id = a.id\n        ),\n        replayed AS (\n            SELECT a.id AS article_id, 0 AS reviewer, a.imported_at AS at, 0 AS step,\n                0 AS event_id, CASE WHEN a.start = 0 THEN 'unreviewed' WHEN a.start >= a.total THEN 'reviewed' ELSE 'in_progress' END AS status\n            FROM articles a\n            UNION ALL\n            SELECT e.article_id, coalesce(e.user_id, 0), e.created_at, 1, e.id,\n                CASE WHEN a.start + sum(e.delta) OVER (PARTITION BY e.article_id ORDER BY e.created_at, e.id) = 0 THEN 'unreviewed' WHEN a.start + sum(e.delta) OVER (PARTITION BY e.article_id ORDER BY e.created_at, e.id) >= a.total THEN 'reviewed' ELSE 'in_progress' END\n            FROM events AS e JOIN articles AS a ON a.id = e.article_id\n        ),\n        ordered AS (\n            SELECT r.*, lag(r.status) OVER (PARTITION BY r.article_id\n                ORDER BY r.step, r.at, r.event_id) AS before,\n                row_number() OVER (PARTITION BY r.article_id\n                ORDER BY r.step DESC, r.at DESC, r.event_id DESC) AS from_last\n            FROM replayed AS r\n        ),\n        closed AS (\n            SELECT article_id, reviewer, at, before, status FROM ordered\n            WHERE before IS NULL OR before <> status\n            UNION ALL\n            SELECT o.article_id, a.reviewer,\n                coalesce(a.signed_off_at, a.last_reviewed_at, a.imported_at),\n                o.status, a.status\n            FROM ordered AS o JOIN articles AS a ON a.id = o.article_id\n            WHERE o.from_last = 1 AND o.status <> a.status\n        )\n        SELECT c.article_id, c.reviewer, ((c.at) AT TIME ZONE '<TIME_ZONE>')::date AS day, a.source,\n            coalesce(c.before, '') AS before, c.status\n        FROM closed AS c JOIN articles AS a ON a.id = c.article_id",
    "INSERT INTO articles_statusday (day, source, status, delta)\n        SELECT day, source, status, sum(delta) FROM (\n            SELECT day, source, status, 1 AS delta FROM dashboard_status_changes\n            UNION ALL\n            SELECT day, source, before, -1 FROM dashboard_status_changes WHERE before <> ''\n        ) AS moves GROUP BY day, source, status",
    "INSERT INTO articles_labelday AS d (day, reviewer_id, source, finished)\n        SELECT day, reviewer, source, count(*) FROM dashboard_status_changes\n        WHERE status = 'reviewed' AND before IN ('unreviewed', 'in_progress')\n        GROUP BY day, reviewer, source\n        ON CONFLICT (day, reviewer_id, source) DO UPDATE SET finished = excluded.finished",
    "DROP TABLE dashboard_status_changes",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_dashboard_event_insert",
    "DROP TRIGGER IF EXISTS articles_dashboard_article_insert",
    "DROP TRIGGER IF EXISTS articles_dashboard_article_delete",
    "DROP TRIGGER IF EXISTS articles_dashboard_article_update",
    "DROP TRIGGER IF EXISTS articles_dashboard_event_edit",
    "DROP TRIGGER IF EXISTS articles_dashboard_event_remove",
    "DROP TRIGGER IF EXISTS articles_dashboard_article_reimport",
]


def _tokens(schema_editor) -> dict[str, str]:
    zone = settings.TIME_ZONE
    if not re.fullmatch(r"[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*", zone):
        raise ValueError(f"Not a time zone name: {zone!r}")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT fast_labels, fast_seconds FROM articles_dashboardsetting WHERE id = 1"
        )
        row = cursor.fetchone()
    labels, seconds = row or (
        int(settings.NEWSREVIEW_FAST_RUN_LABELS),
        int(settings.NEWSREVIEW_FAST_RUN_SECONDS),
    )
    return {
        "<FAST_MS>": str(int(seconds) * 1000),
        "<FAST_LAG>": str(int(labels) - 1),
        "<FAST_LABELS>": str(int(labels)),
        "<FAST_SECONDS>": str(int(seconds)),
        "<TIME_ZONE>": zone,
    }


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for statement in SQLITE_DROP:
                cursor.execute(statement)


def local_days(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    tokens = _tokens(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        for statement in POSTGRESQL_DROP + POSTGRESQL_CREATE + POSTGRESQL_RECOUNT:
            for token, value in tokens.items():
                statement = statement.replace(token, value)
            cursor.execute(statement)


def utc_days(apps, schema_editor):
    """Back to 0014's triggers and UTC days."""
    if schema_editor.connection.vendor != "postgresql":
        return
    dashboard = importlib.import_module("articles.migrations.0014_dashboard")
    dashboard.drop(apps, schema_editor)
    dashboard.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_second_review_rounds"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="dashboardsetting",
            name="time_zone",
            field=models.CharField(db_default="UTC", max_length=64),
        ),
        migrations.RunPython(local_days, utc_days),
    ]
