"""`manage.py benchmark --dashboard` (docs/benchmarks.md, "Dashboard"): the dashboard at
100,000 articles and 3,000,000 label events.

The desk is written with SQL, not through the importer and the label views (which would take
hours at this size): ARTICLES articles of PARAGRAPHS paragraphs over SOURCES sources, and
EVENTS label events by REVIEWERS reviewers over DAYS days, in runs of RUN consecutive labels
by one reviewer a few seconds apart (so pace and fast runs have something to find). Pass 1
labels every paragraph once, later passes relabel them; the paragraphs and the articles' counts
end as the events leave them. The roll-ups' event trigger is off while the events are loaded;
then `rebuild_dashboard`'s recount is timed, and the dashboard page and a CSV are measured
through the test client as a Lead.
"""

import datetime
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from articles import rollup_triggers, triggers
from articles.dashboard.filters import today
from articles.dashboard.rollups import rebuild
from articles.models import LabelDay, PaceDay, StatusDay
from bench.database import BENCH_SETTINGS, fresh_database
from bench.machine import at_calibration, environment
from bench.measure import measure
from bench.report import Report, Row

PARAGRAPHS = 10
SOURCES = 20
REVIEWERS = 20
DAYS = 90
RUN = 50
LABELS = ("verified", "unverified", "boilerplate")
TARGET = "≤ 150 ms"


def _sequence(vendor: str, n: int) -> str:
    """SQL rows k = 0 .. n-1 as `seq(k)`."""
    if vendor == "postgresql":
        return f"(SELECT generate_series(0, {int(n) - 1}) AS k) AS seq"
    return (
        f"(WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s "  # noqa: S608
        f"WHERE k < {int(n) - 1}) SELECT k FROM s) AS seq"
    )


def _moment(vendor: str, seconds: str) -> str:
    """SQL: the moment `seconds` (never negative) after the desk's first imports, DAYS + 1
    days ago; the first label is a day later."""
    if vendor == "postgresql":
        return (
            f"(now() - interval '{DAYS + 1} days'"
            f" + ({seconds})::float8 * interval '1 second')"
        )
    return f"datetime('now', '-{DAYS + 1} days', '+' || ({seconds}) || ' seconds')"


def _label(index: str) -> str:
    return (
        f"CASE ({index}) % 3 WHEN 0 THEN '{LABELS[0]}' WHEN 1 THEN '{LABELS[1]}'"
        f" ELSE '{LABELS[2]}' END"
    )


def load_desk(
    *,
    articles: int,
    events: int,
    reviewer_ids: list[int],
    log: Callable[[str], None] = lambda message: None,
) -> None:
    """Articles, paragraphs and label events with SQL (constant but for whole numbers)."""
    vendor = connection.vendor
    paragraphs = articles * PARAGRAPHS
    step = DAYS * 86400 / events  # seconds between two events, whole desk
    first_reviewer = min(reviewer_ids)  # reviewers have consecutive ids
    if reviewer_ids != list(range(first_reviewer, first_reviewer + REVIEWERS)):
        raise ValueError("the benchmark's reviewers need consecutive ids")
    with connection.cursor() as raw:

        class cursor:  # every statement timed in the log
            @staticmethod
            def execute(sql: str) -> None:
                started = time.perf_counter()
                raw.execute(sql)
                log(
                    f"  {time.perf_counter() - started:6.1f} s  {' '.join(sql.split())[:60]}"
                )

        # PostgreSQL: off while loading, as SQLite's are dropped, and each article's search
        # document made afterwards in chunks (the refresh takes an array of ids; one of
        # 100,000 made the statement quadratic).
        switched = [
            ("articles_labelevent", "articles_dashboard_event_insert"),
            ("articles_paragraph", "articles_search_paragraph_insert"),
            ("articles_article", "articles_search_article_insert"),
        ]
        if vendor == "postgresql":
            for table, name in switched:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
        else:
            cursor.execute("DROP TRIGGER articles_dashboard_event_insert")
            for name in triggers.SEARCH_SQLITE_BULK:
                cursor.execute(f"DROP TRIGGER {name}")
        # An article is imported a day before its first paragraph is first labeled.
        first_label = f"(k * {PARAGRAPHS} * {step:.6f})"
        cursor.execute(
            f"""INSERT INTO articles_article (id, external_id, title, source, url,
                content_hash, imported_at, status, paragraph_count, verified_count,
                unverified_count, boilerplate_count)
            SELECT k + 1, 'bench-' || k, 'Benchmark article ' || k,
                'source' || (k % {SOURCES}) || '.example', '', '',
                {_moment(vendor, first_label)}, 'unreviewed',
                {PARAGRAPHS}, 0, 0, 0
            FROM {_sequence(vendor, articles)}"""  # noqa: S608 (whole numbers only)
        )
        cursor.execute(
            f"""INSERT INTO articles_paragraph (id, article_id, position, html, text,
                text_hash, label, note, version, link_share, cues)
            SELECT k + 1, k / {PARAGRAPHS} + 1, k % {PARAGRAPHS} + 1, 'Paragraph text.',
                'Paragraph text.', 'h' || (k % 1000), '', '', 0, 0, 0
            FROM {_sequence(vendor, paragraphs)}"""  # noqa: S608 (whole numbers only)
        )
        # Event k labels paragraph k mod P in pass q = k div P; its label is
        # LABELS[(k + q) mod 3], the one before it LABELS[(k - P + q - 1) mod 3].
        p, q = f"(k % {paragraphs})", f"(k / {paragraphs})"
        method = (
            "CASE WHEN k % 100 < 70 THEN 'keyboard' WHEN k % 100 < 95 THEN 'click'"
            " ELSE 'bulk' END"
        )
        cursor.execute(
            f"""INSERT INTO articles_labelevent (paragraph_id, article_id, user_id, field,
                old_value, new_value, method, created_at)
            SELECT {p} + 1, {p} / {PARAGRAPHS} + 1,
                {first_reviewer} + (k / {RUN}) % {REVIEWERS}, 'label',
                CASE WHEN {q} = 0 THEN '' ELSE {_label(f"k - {paragraphs} + {q} - 1")} END,
                {_label(f"k + {q}")}, {method},
                {_moment(vendor, f"86400 + k * {step:.6f}")}
            FROM {_sequence(vendor, events)}"""  # noqa: S608 (whole numbers only)
        )
        # Paragraphs and articles as the events leave them.
        last = f"(({events} - 1 - (id - 1)) / {paragraphs})"
        cursor.execute(
            f"""UPDATE articles_paragraph SET label = {_label(f"id - 1 + {last} * {paragraphs} + {last}")}
            WHERE id <= {events}"""  # noqa: S608 (whole numbers only)
        )
        # PostgreSQL: the articles' own triggers off for this one UPDATE of every article
        # (100,000 updates of the same few tally rows in one statement walk ever longer row
        # version chains), the tallies recounted after; the roll-ups are rebuilt anyway.
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE articles_article DISABLE TRIGGER USER")
        labeled = "(c.verified + c.unverified + c.boilerplate)"
        sums = ", ".join(
            f"sum(CASE WHEN label = '{label}' THEN 1 ELSE 0 END) AS {label}"
            for label in LABELS
        )
        cursor.execute(
            f"""UPDATE articles_article SET verified_count = c.verified,
                unverified_count = c.unverified, boilerplate_count = c.boilerplate,
                status = CASE WHEN {labeled} = 0 THEN 'unreviewed'
                    WHEN {labeled} >= articles_article.paragraph_count THEN 'reviewed'
                    ELSE 'in_progress' END,
                last_reviewed_by_id = {first_reviewer},
                last_reviewed_at = {_moment(vendor, f"({DAYS} + 1) * 86400 - 60")}
            FROM (SELECT article_id, {sums} FROM articles_paragraph
                WHERE label <> '' GROUP BY article_id) AS c
            WHERE c.article_id = articles_article.id"""  # noqa: S608 (constants only)
        )
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE articles_article ENABLE TRIGGER USER")
            for statement in triggers.TALLY_RECOUNT:
                cursor.execute(statement)
            for table, name in switched:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
            for first in range(1, articles + 1, 2000):
                raw.execute(
                    "SELECT articles_search_refresh(ARRAY(SELECT id FROM articles_article"
                    " WHERE id BETWEEN %s AND %s))",
                    [first, first + 1999],
                )
            for table in (
                "articles_article",
                "articles_paragraph",
                "articles_labelevent",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                    f" (SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
        else:
            name = "articles_dashboard_event_insert"
            cursor.execute(
                f"CREATE TRIGGER {name} {rollup_triggers.DASHBOARD_SQLITE[name]}"
            )
    # SQLite: the search triggers come back and the index is rebuilt, as after any migrate.
    started = time.perf_counter()
    triggers.ensure_sqlite_triggers()
    log(
        f"  {time.perf_counter() - started:6.1f} s  search triggers back, index rebuilt"
    )


def run_dashboard(
    *,
    articles: int,
    events: int,
    requests: int,
    log: Callable[[str], None] = lambda message: None,
) -> Report:
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    workdir = Path(tempfile.mkdtemp(prefix="newsreview-dashboard-"))
    try:
        with fresh_database(workdir), override_settings(**BENCH_SETTINGS):
            users = get_user_model().objects
            reviewers = [
                users.create_user(f"bench-reviewer-{n:02d}") for n in range(REVIEWERS)
            ]
            Group.objects.get(name="Reviewer").user_set.add(*reviewers)
            lead = users.create_user("bench-lead")
            lead.groups.add(Group.objects.get(name="Lead"))
            log(f"Writing {articles:,} articles and {events:,} label events with SQL …")
            started = time.perf_counter()
            load_desk(
                articles=articles,
                events=events,
                reviewer_ids=[user.pk for user in reviewers],
                log=log,
            )
            loaded = time.perf_counter() - started
            log(f"Loaded in {loaded:.0f} s; rebuilding the roll-ups …")
            started, cpu = time.perf_counter(), time.process_time()
            rebuild()
            rebuilt = time.perf_counter() - started
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            report = Report(
                environment=environment(),
                corpus={
                    "articles": articles,
                    "paragraphs": articles * PARAGRAPHS,
                    "boilerplate": 0,
                    "mb": 0.0,
                    "generated_seconds": loaded,
                    "events": events,
                    "label_days": LabelDay.objects.count(),
                    "pace_days": PaceDay.objects.count(),
                    "status_days": StatusDay.objects.count(),
                },
            )
            report.rows.append(
                Row(
                    "rebuild_dashboard",
                    "",
                    seconds=rebuilt,
                    cpu_ms=(time.process_time() - cpu) * 1000,
                    note=f"{events:,} events → {report.corpus['label_days']:,} LabelDay, "
                    f"{report.corpus['pace_days']:,} PaceDay, "
                    f"{report.corpus['status_days']:,} StatusDay rows",
                )
            )
            client = Client()
            client.force_login(lead)
            pages = [
                ("dashboard, last 30 days", "/dashboard/"),
                (
                    "dashboard, 90 days, one reviewer",
                    f"/dashboard/?start={_days_ago(DAYS)}&reviewer={reviewers[3].pk}",
                ),
                (
                    "dashboard, a year, one source",
                    f"/dashboard/?start={_days_ago(365)}&source=source7.example",
                ),
                ("CSV, boilerplate share, 30 days", "/dashboard/boilerplate-share.csv"),
            ]
            log(f"Measuring the dashboard ({requests} requests each) …")
            for name, url in pages:
                row = measure(
                    name, TARGET, lambda i, url=url: client.get(url), n=requests
                )
                # Server time: the wall-clock median (PostgreSQL's own work is not in this
                # process's CPU time), scaled to the calibration loop.
                row.met = at_calibration(row.median_ms) <= 150
                row.note = f"{at_calibration(row.median_ms):.1f} ms at calibration"
                report.rows.append(row)
            return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _days_ago(days: int) -> str:
    return (today() - datetime.timedelta(days=days - 1)).isoformat()
