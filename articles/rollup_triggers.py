"""The triggers that keep the dashboard's daily roll-ups current (articles.models.rollups,
read by articles.dashboard), and the recount they must always equal, on SQLite and PostgreSQL.

Migration 0014_dashboard carries its own copy of this SQL (frozen history);
articles.triggers.ensure_sqlite_triggers() puts the SQLite triggers back after a migrate
rebuilds a table, and recounts when one was missing. Constant SQL: the only values formatted
in are whole numbers.
"""

# LabelDay, PaceDay and StatusDay (articles.models.rollups) change in the transaction of the
# label event or status change that moves them, whoever writes it (any view, admin, raw SQL).
# Days are the desk's (settings.TIME_ZONE): SQLite's `date(…, 'localtime')` (Django sets the
# process's zone from it); on PostgreSQL articles_dashboardsetting.time_zone, written by the
# recount. Pace: the gap from a reviewer's previous hand label (click or key, any article,
# in (created_at, id) order) in milliseconds, bucketed by pace_bucket(); a hand label is "fast"
# when the reviewer's (fast_labels - 1)-th previous hand label is at most fast_seconds older
# (the rule in articles_dashboardsetting, row 1). "Finished": an article moving from unreviewed
# or in progress to reviewed, counted for the reviewer who made the move.

import re
from functools import partial

from django.conf import settings

HAND_METHODS = "('click', 'keyboard')"
# Audit events that record no one's decision: a label carried to a new revision, moved from a
# merged duplicate, or cleared because the text changed (articles.revisions). They change no
# one's throughput or label mix; the status history still follows them.
NOT_DECISIONS = "('carried', 'merged', 'revision')"
OPEN_STATUSES = "('unreviewed', 'in_progress')"
# A longer gap starts a new sitting: no pace for its first label.
PACE_SITTING_MS = 3_600_000


def pace_bucket(ms: str) -> str:
    """SQL: the PaceDay bucket (seconds) of a gap of `ms` whole milliseconds."""
    return (
        f"CASE WHEN {ms} < 120000 THEN {ms} / 1000"
        f" WHEN {ms} < 600000 THEN {ms} / 10000 * 10 ELSE {ms} / 60000 * 60 END"
    )


_FAST_MS = "(SELECT fast_seconds * 1000 FROM articles_dashboardsetting WHERE id = 1)"
_FAST_OFFSET = "(SELECT fast_labels - 2 FROM articles_dashboardsetting WHERE id = 1)"
_PREVIOUS_HAND_SQLITE = f"""FROM articles_labelevent AS p
    WHERE p.user_id = new.user_id AND p.field = 'label' AND p.method IN {HAND_METHODS}
    AND p.created_at <= new.created_at
    AND NOT (p.created_at = new.created_at AND p.id >= new.id)
    ORDER BY p.created_at DESC, p.id DESC LIMIT 1"""
_GAP_MS_SQLITE = (
    "CAST(round((julianday(new.created_at) - julianday(p.created_at)) * 86400000)"
    " AS INTEGER)"
)
_CHANGE_DAY_SQLITE = (
    "date(CASE WHEN new.last_reviewed_at IS NOT old.last_reviewed_at"
    " AND new.last_reviewed_at IS NOT NULL THEN new.last_reviewed_at ELSE 'now' END,"
    " 'localtime')"
)


def _status_delta_sqlite(day: str, source: str, status: str, delta: int) -> str:
    return f"""INSERT INTO articles_statusday(day, source, status, delta)
        VALUES ({day}, {source}, {status}, {delta})
        ON CONFLICT(day, source, status) DO UPDATE SET delta = delta + excluded.delta;"""  # noqa: S608


# What the insert triggers cannot follow: an edit or deletion of label events, a changed import
# time. The product never does either (the audit trail is append-only); SQL can. They mark the
# roll-ups stale, and the dashboard recounts before it reads (articles.dashboard.rollups).
_EVENT_COLUMNS = "created_at, user_id, field, old_value, new_value, method, article_id"
_MARK_STALE = "UPDATE articles_dashboardsetting SET stale = {true} WHERE id = 1"

DASHBOARD_SQLITE = {
    "articles_dashboard_event_insert": f"""AFTER INSERT ON articles_labelevent
    WHEN new.field = 'label' AND new.method NOT IN {NOT_DECISIONS} BEGIN
        INSERT INTO articles_labelday(day, reviewer_id, source, verified, unverified,
            boilerplate, cleared, by_hand, fast)
        SELECT date(new.created_at, 'localtime'), coalesce(new.user_id, 0), a.source,
            new.new_value = 'verified', new.new_value = 'unverified',
            new.new_value = 'boilerplate', new.new_value = '',
            new.method IN {HAND_METHODS} AND new.new_value <> '',
            new.method IN {HAND_METHODS} AND coalesce((SELECT {_GAP_MS_SQLITE}
                <= {_FAST_MS}
                {_PREVIOUS_HAND_SQLITE} OFFSET {_FAST_OFFSET}), 0)
        FROM articles_article AS a WHERE a.id = new.article_id
        ON CONFLICT(day, reviewer_id, source) DO UPDATE SET
            verified = verified + excluded.verified,
            unverified = unverified + excluded.unverified,
            boilerplate = boilerplate + excluded.boilerplate,
            cleared = cleared + excluded.cleared,
            by_hand = by_hand + excluded.by_hand,
            fast = fast + excluded.fast;
        INSERT INTO articles_paceday(day, reviewer_id, seconds, events)
        SELECT date(new.created_at, 'localtime'), new.user_id, {pace_bucket("gap.ms")}, 1
        FROM (SELECT {_GAP_MS_SQLITE} AS ms {_PREVIOUS_HAND_SQLITE}) AS gap
        WHERE new.method IN {HAND_METHODS} AND gap.ms < {PACE_SITTING_MS}
        ON CONFLICT(day, reviewer_id, seconds) DO UPDATE SET events = events + 1; END""",  # noqa: S608
    "articles_dashboard_article_insert": f"""AFTER INSERT ON articles_article BEGIN
        {_status_delta_sqlite("date(new.imported_at, 'localtime')", "new.source", "new.status", 1)} END""",
    "articles_dashboard_article_delete": f"""AFTER DELETE ON articles_article BEGIN
        {_status_delta_sqlite("date('now', 'localtime')", "old.source", "old.status", -1)} END""",
    "articles_dashboard_article_update": f"""AFTER UPDATE OF source, status
    ON articles_article
    WHEN old.source IS NOT new.source OR old.status IS NOT new.status BEGIN
        {_status_delta_sqlite(_CHANGE_DAY_SQLITE, "old.source", "old.status", -1)}
        {_status_delta_sqlite(_CHANGE_DAY_SQLITE, "new.source", "new.status", 1)}
        INSERT INTO articles_labelday(day, reviewer_id, source, finished)
        SELECT {_CHANGE_DAY_SQLITE}, coalesce(new.last_reviewed_by_id, 0), new.source, 1
        WHERE new.status = 'reviewed' AND old.status IN {OPEN_STATUSES}
        ON CONFLICT(day, reviewer_id, source) DO UPDATE SET finished = finished + 1; END""",  # noqa: S608
    "articles_dashboard_event_edit": f"""AFTER UPDATE OF {_EVENT_COLUMNS}
    ON articles_labelevent BEGIN {_MARK_STALE.format(true=1)}; END""",
    "articles_dashboard_event_remove": f"""AFTER DELETE ON articles_labelevent
    BEGIN {_MARK_STALE.format(true=1)}; END""",
    "articles_dashboard_article_reimport": f"""AFTER UPDATE OF imported_at
    ON articles_article WHEN old.imported_at IS NOT new.imported_at
    BEGIN {_MARK_STALE.format(true=1)}; END""",
}

# PostgreSQL: the events' trigger is per statement (a bulk insert of 2,000 events upserts each
# (day, reviewer, source) once); the articles' is per row, like the tallies'. Rows are upserted
# in key order, so concurrent writers lock shared rows in one order (no deadlock).
_PREVIOUS_HAND_POSTGRESQL = f"""FROM articles_labelevent AS p
    WHERE p.user_id = e.user_id AND p.field = 'label' AND p.method IN {HAND_METHODS}
    AND (p.created_at, p.id) < (e.created_at, e.id)
    ORDER BY p.created_at DESC, p.id DESC"""
_GAP_MS_POSTGRESQL = (
    "round(extract(epoch FROM e.created_at - p.created_at) * 1000)::bigint"
)
_ZONE = "(SELECT time_zone FROM articles_dashboardsetting WHERE id = 1)"
_LOCAL_DAY = "(({0}) AT TIME ZONE " + _ZONE + ")::date"

DASHBOARD_POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION articles_dashboard_events() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO articles_labelday AS d (day, reviewer_id, source, verified, unverified,
            boilerplate, cleared, by_hand, fast)
        SELECT {_LOCAL_DAY.format("e.created_at")}, coalesce(e.user_id, 0), a.source,
            count(*) FILTER (WHERE e.new_value = 'verified'),
            count(*) FILTER (WHERE e.new_value = 'unverified'),
            count(*) FILTER (WHERE e.new_value = 'boilerplate'),
            count(*) FILTER (WHERE e.new_value = ''),
            count(*) FILTER (WHERE e.method IN {HAND_METHODS} AND e.new_value <> ''),
            count(*) FILTER (WHERE run.fast)
        FROM new_rows AS e JOIN articles_article AS a ON a.id = e.article_id
        LEFT JOIN LATERAL (
            SELECT {_GAP_MS_POSTGRESQL} <= {_FAST_MS} AS fast
            {_PREVIOUS_HAND_POSTGRESQL} OFFSET {_FAST_OFFSET} LIMIT 1
        ) AS run ON e.method IN {HAND_METHODS}
        WHERE e.field = 'label' AND e.method NOT IN {NOT_DECISIONS}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (day, reviewer_id, source) DO UPDATE SET
            verified = d.verified + excluded.verified,
            unverified = d.unverified + excluded.unverified,
            boilerplate = d.boilerplate + excluded.boilerplate,
            cleared = d.cleared + excluded.cleared,
            by_hand = d.by_hand + excluded.by_hand,
            fast = d.fast + excluded.fast;
        INSERT INTO articles_paceday AS d (day, reviewer_id, seconds, events)
        SELECT {_LOCAL_DAY.format("e.created_at")}, e.user_id, {pace_bucket("gap.ms")}, count(*)
        FROM new_rows AS e CROSS JOIN LATERAL (
            SELECT {_GAP_MS_POSTGRESQL} AS ms {_PREVIOUS_HAND_POSTGRESQL} LIMIT 1
        ) AS gap
        WHERE e.field = 'label' AND e.method IN {HAND_METHODS}
        AND gap.ms < {PACE_SITTING_MS}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (day, reviewer_id, seconds) DO UPDATE SET events = d.events + excluded.events;
        RETURN NULL;
    END $$""",  # noqa: S608
    """CREATE TRIGGER articles_dashboard_event_insert AFTER INSERT ON articles_labelevent
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_dashboard_events()""",
    f"""CREATE OR REPLACE FUNCTION articles_dashboard_article() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        change_day date;
    BEGIN
        IF NEW.last_reviewed_at IS NOT NULL
            AND NEW.last_reviewed_at IS DISTINCT FROM OLD.last_reviewed_at THEN
            change_day := {_LOCAL_DAY.format("NEW.last_reviewed_at")};
        ELSE
            change_day := {_LOCAL_DAY.format("now()")};
        END IF;
        INSERT INTO articles_statusday AS s (day, source, status, delta)
        SELECT change_day, change.source, change.status, sum(change.delta)
        FROM (VALUES (OLD.source, OLD.status, -1), (NEW.source, NEW.status, 1))
            AS change(source, status, delta)
        GROUP BY 2, 3 ORDER BY 2, 3
        ON CONFLICT (day, source, status) DO UPDATE SET delta = s.delta + excluded.delta;
        IF NEW.status = 'reviewed' AND OLD.status IN {OPEN_STATUSES} THEN
            INSERT INTO articles_labelday AS l (day, reviewer_id, source, finished)
            VALUES (change_day, coalesce(NEW.last_reviewed_by_id, 0), NEW.source, 1)
            ON CONFLICT (day, reviewer_id, source) DO UPDATE SET finished = l.finished + 1;
        END IF;
        RETURN NULL;
    END $$""",  # noqa: S608
    # Imports and deletions come in bulk: one grouped upsert per statement (a row trigger
    # here cost ~0.5 ms an article, 50 s of a 100,000-article load).
    f"""CREATE OR REPLACE FUNCTION articles_dashboard_articles_in_out() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO articles_statusday AS s (day, source, status, delta)
            SELECT {_LOCAL_DAY.format("imported_at")}, source, status, count(*)
            FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (day, source, status) DO UPDATE SET delta = s.delta + excluded.delta;
        ELSE
            INSERT INTO articles_statusday AS s (day, source, status, delta)
            SELECT {_LOCAL_DAY.format("now()")}, source, status, -count(*)
            FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (day, source, status) DO UPDATE SET delta = s.delta + excluded.delta;
        END IF;
        RETURN NULL;
    END $$""",  # noqa: S608
    """CREATE TRIGGER articles_dashboard_article_insert AFTER INSERT ON articles_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_dashboard_articles_in_out()""",
    """CREATE TRIGGER articles_dashboard_article_delete AFTER DELETE ON articles_article
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_dashboard_articles_in_out()""",
    """CREATE TRIGGER articles_dashboard_article_update
    AFTER UPDATE OF source, status ON articles_article FOR EACH ROW
    WHEN (OLD.source IS DISTINCT FROM NEW.source OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION articles_dashboard_article()""",
    f"""CREATE OR REPLACE FUNCTION articles_dashboard_stale() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN {_MARK_STALE.format(true="true")} AND NOT stale; RETURN NULL; END $$""",
    f"""CREATE TRIGGER articles_dashboard_event_edit
    AFTER UPDATE OF {_EVENT_COLUMNS} OR DELETE OR TRUNCATE ON articles_labelevent
    FOR EACH STATEMENT EXECUTE FUNCTION articles_dashboard_stale()""",
    """CREATE TRIGGER articles_dashboard_article_reimport
    AFTER UPDATE OF imported_at ON articles_article FOR EACH ROW
    WHEN (OLD.imported_at IS DISTINCT FROM NEW.imported_at)
    EXECUTE FUNCTION articles_dashboard_stale()""",
]
DASHBOARD_POSTGRESQL_DROP = [
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
DASHBOARD_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in DASHBOARD_SQLITE]


# The recount the triggers must always equal (`rebuild_dashboard`, the migration's backfill):
# every roll-up again from the audit trail and the articles. An article's status history is
# replayed from its label events in (created_at, id) order: it starts, on the day it was
# imported (or of its first label event, if that is earlier: history edited with SQL), with
# the labels it holds that no event explains (labels it was imported with), each
# event adds or removes one labeled paragraph, the counts give the status (the rule of
# articles.models.status.derive_status), and a status the labels do not explain (one a Lead
# sets: signed off) closes the history on the day of the standing sign-off, else of the last
# review.
_DAY = {
    "sqlite": "date({0}, 'localtime')",
    "postgresql": "(({0}) AT TIME ZONE '{zone}')::date",
}
# A zone name as the tz database spells it ("Europe/Warsaw", "Etc/GMT+5"): nothing to escape.
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*")
_GAP_MS = {
    "sqlite": "CAST(round((julianday({0}) - julianday({1})) * 86400000) AS INTEGER)",
    "postgresql": "round(extract(epoch FROM {0} - {1}) * 1000)::bigint",
}
_LABELED = "a.verified_count + a.unverified_count + a.boilerplate_count"


def _status_of(labeled: str, total: str) -> str:
    return (
        f"CASE WHEN {labeled} = 0 THEN 'unreviewed'"
        f" WHEN {labeled} >= {total} THEN 'reviewed' ELSE 'in_progress' END"
    )


def dashboard_recount(
    vendor: str, *, fast_labels: int, fast_seconds: int, time_zone: str | None = None
) -> list[str]:
    """The statements that rebuild LabelDay, PaceDay and StatusDay (and the fast-run rule's
    row) from scratch, with days in `time_zone` (settings.TIME_ZONE unless told; SQLite counts
    in the process's zone, which Django sets from it). Constant SQL: the two whole numbers are
    formatted in as integers, the zone only if it is a tz database name."""
    zone = settings.TIME_ZONE if time_zone is None else time_zone
    if not _ZONE_NAME.fullmatch(zone):
        raise ValueError(f"Not a time zone name: {zone!r}")
    day, gap = partial(_DAY[vendor].format, zone=zone), _GAP_MS[vendor].format
    fast_labels, fast_seconds = int(fast_labels), int(fast_seconds)
    changes = "dashboard_status_changes"
    return [
        "DELETE FROM articles_labelday",
        "DELETE FROM articles_paceday",
        "DELETE FROM articles_statusday",
        "DELETE FROM articles_dashboardsetting",
        "INSERT INTO articles_dashboardsetting"  # noqa: S608
        f" (id, fast_labels, fast_seconds, time_zone)"
        f" VALUES (1, {fast_labels}, {fast_seconds}, '{zone}')",
        f"""INSERT INTO articles_labelday (day, reviewer_id, source, verified, unverified,
            boilerplate, cleared, by_hand)
        SELECT {day("e.created_at")}, coalesce(e.user_id, 0), a.source,
            sum(CASE WHEN e.new_value = 'verified' THEN 1 ELSE 0 END),
            sum(CASE WHEN e.new_value = 'unverified' THEN 1 ELSE 0 END),
            sum(CASE WHEN e.new_value = 'boilerplate' THEN 1 ELSE 0 END),
            sum(CASE WHEN e.new_value = '' THEN 1 ELSE 0 END),
            sum(CASE WHEN e.method IN {HAND_METHODS} AND e.new_value <> ''
                THEN 1 ELSE 0 END)
        FROM articles_labelevent AS e JOIN articles_article AS a ON a.id = e.article_id
        WHERE e.field = 'label' AND e.method NOT IN {NOT_DECISIONS}
        GROUP BY {day("e.created_at")}, coalesce(e.user_id, 0), a.source""",  # noqa: S608
        f"DROP TABLE IF EXISTS {changes}",
        f"""CREATE TEMPORARY TABLE {changes} AS
        WITH hand AS (
            SELECT e.user_id, e.article_id, e.created_at,
                lag(e.created_at) OVER w AS previous,
                lag(e.created_at, {fast_labels - 1}) OVER w AS run_start
            FROM articles_labelevent AS e
            WHERE e.field = 'label' AND e.method IN {HAND_METHODS}
            AND e.user_id IS NOT NULL
            WINDOW w AS (PARTITION BY e.user_id ORDER BY e.created_at, e.id)
        )
        SELECT hand.user_id, hand.article_id, {day("hand.created_at")} AS day,
            {gap("hand.created_at", "hand.previous")} AS ms,
            {gap("hand.created_at", "hand.run_start")} <= {fast_seconds * 1000} AS fast
        FROM hand""",  # noqa: S608
        f"""INSERT INTO articles_paceday (day, reviewer_id, seconds, events)
        SELECT day, user_id, {pace_bucket("ms")}, count(*) FROM {changes}
        WHERE ms < {PACE_SITTING_MS} GROUP BY day, user_id, {pace_bucket("ms")}""",  # noqa: S608
        f"""INSERT INTO articles_labelday AS d (day, reviewer_id, source, fast)
        SELECT c.day, c.user_id, a.source, count(*)
        FROM {changes} AS c JOIN articles_article AS a ON a.id = c.article_id
        WHERE c.fast GROUP BY c.day, c.user_id, a.source
        ON CONFLICT (day, reviewer_id, source) DO UPDATE SET fast = excluded.fast""",  # noqa: S608
        f"DROP TABLE {changes}",
        f"""CREATE TEMPORARY TABLE {changes} AS
        WITH events AS (
            SELECT e.id, e.article_id, e.user_id, e.created_at,
                CASE WHEN e.new_value <> '' THEN 1 ELSE 0 END
                - CASE WHEN e.old_value <> '' THEN 1 ELSE 0 END AS delta
            FROM articles_labelevent AS e WHERE e.field = 'label'
        ),
        net AS (
            SELECT article_id, sum(delta) AS delta, min(created_at) AS first
            FROM events GROUP BY article_id
        ),
        articles AS (
            SELECT a.id, a.source, a.status, a.paragraph_count AS total,
                CASE WHEN net.first < a.imported_at THEN net.first
                    ELSE a.imported_at END AS imported_at,
                a.last_reviewed_at, coalesce(a.last_reviewed_by_id, 0) AS reviewer,
                {_LABELED} - coalesce(net.delta, 0) AS start,
                (SELECT s.at FROM articles_signoff AS s WHERE s.id = a.signed_off_id)
                    AS signed_off_at
            FROM articles_article AS a LEFT JOIN net ON net.article_id = a.id
        ),
        replayed AS (
            SELECT a.id AS article_id, 0 AS reviewer, a.imported_at AS at, 0 AS step,
                0 AS event_id, {_status_of("a.start", "a.total")} AS status
            FROM articles a
            UNION ALL
            SELECT e.article_id, coalesce(e.user_id, 0), e.created_at, 1, e.id,
                {_status_of("a.start + sum(e.delta) OVER (PARTITION BY e.article_id ORDER BY e.created_at, e.id)", "a.total")}
            FROM events AS e JOIN articles AS a ON a.id = e.article_id
        ),
        ordered AS (
            SELECT r.*, lag(r.status) OVER (PARTITION BY r.article_id
                ORDER BY r.step, r.at, r.event_id) AS before,
                row_number() OVER (PARTITION BY r.article_id
                ORDER BY r.step DESC, r.at DESC, r.event_id DESC) AS from_last
            FROM replayed AS r
        ),
        closed AS (
            SELECT article_id, reviewer, at, before, status FROM ordered
            WHERE before IS NULL OR before <> status
            UNION ALL
            SELECT o.article_id, a.reviewer,
                coalesce(a.signed_off_at, a.last_reviewed_at, a.imported_at),
                o.status, a.status
            FROM ordered AS o JOIN articles AS a ON a.id = o.article_id
            WHERE o.from_last = 1 AND o.status <> a.status
        )
        SELECT c.article_id, c.reviewer, {day("c.at")} AS day, a.source,
            coalesce(c.before, '') AS before, c.status
        FROM closed AS c JOIN articles AS a ON a.id = c.article_id""",  # noqa: S608
        f"""INSERT INTO articles_statusday (day, source, status, delta)
        SELECT day, source, status, sum(delta) FROM (
            SELECT day, source, status, 1 AS delta FROM {changes}
            UNION ALL
            SELECT day, source, before, -1 FROM {changes} WHERE before <> ''
        ) AS moves GROUP BY day, source, status""",  # noqa: S608
        f"""INSERT INTO articles_labelday AS d (day, reviewer_id, source, finished)
        SELECT day, reviewer, source, count(*) FROM {changes}
        WHERE status = 'reviewed' AND before IN {OPEN_STATUSES}
        GROUP BY day, reviewer, source
        ON CONFLICT (day, reviewer_id, source) DO UPDATE SET finished = excluded.finished""",  # noqa: S608
        f"DROP TABLE {changes}",
    ]
