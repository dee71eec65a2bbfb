"""The export rows: each CSV export in a child process, so its peak memory is its own.

The child is this module: `python -m bench.exports '<json spec>'` (run from the project
directory, with the parent's DJANGO_SETTINGS_MODULE) prints one line of JSON.
"""

import json
import statistics
import subprocess
import sys
import time

import django
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench.database import BENCH_SETTINGS
from bench.machine import peak_rss_mb
from bench.measure import BenchmarkError, check
from bench.report import TARGETS, Report, Row

EXPORTS = [
    ("articles CSV", "articles_csv", "/export/articles.csv"),
    ("paragraphs CSV", "paragraphs_csv", "/export/paragraphs.csv"),
]


def measure_exports(report: Report, *, database: str, user, runs: int) -> None:
    """Each export in a child process: its ru_maxrss peak minus its warmed-up RSS is the export's.

    In this process the import's peak would hide the export's (ru_maxrss only ever grows).
    """
    # Imported here: the child process imports this module before django.setup().
    from articles.models import Article, Paragraph

    sizes = {
        "articles_csv": Article.objects.count(),
        "paragraphs_csv": Paragraph.objects.count(),
    }
    for name, key, url in EXPORTS:
        spec = {"database": database, "user": user.pk, "url": url, "runs": runs}
        child = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
            [sys.executable, "-m", "bench.exports", json.dumps(spec)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            raise BenchmarkError(
                f"{name}: export process failed\n{child.stderr[-2000:]}"
            )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        rows = sizes[key]
        seconds = statistics.median(result["seconds"])
        limit = 3 * rows / 100_000 if key == "articles_csv" else rows / 30_000
        report.rows.append(
            Row(
                name,
                TARGETS[key],
                n=len(result["seconds"]),
                queries=result["queries"],
                seconds=seconds,
                cpu_ms=statistics.median(result["cpu"]) * 1000,
                mb=result["peak_growth_mb"],
                note=(
                    f"{rows:,} rows, {result['bytes'] / 2**20:,.1f} MB of CSV, "
                    f"{rows / seconds:,.0f} rows/s; target {limit:.2f} s"
                ),
                # The articles target is set at 100,000 rows; below 10,000 fixed costs dominate.
                met=None
                if key == "articles_csv" and rows < 10_000
                else seconds <= limit and result["peak_growth_mb"] <= 50,
            )
        )


def export_child(spec: dict) -> dict:
    """Run one export `runs` times in this (fresh) process; print times, queries, peak growth."""
    from django.contrib.auth import get_user_model

    settings.DATABASES["default"]["NAME"] = spec["database"]
    with override_settings(**BENCH_SETTINGS):
        client = Client()
        client.force_login(get_user_model().objects.get(pk=spec["user"]))
        # Warm up the code path (imports, URL resolving, first queries) on an empty export.
        _drain(client.get(spec["url"] + "?source=no.such.source"))
        baseline = peak_rss_mb()
        seconds, cpu, queries, size = [], [], None, 0
        for _ in range(spec["runs"]):
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(spec["url"])
                check(response, spec["url"])
                size = _drain(response)
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            queries = len(captured) if queries is None else queries
    return {
        "seconds": seconds,
        "cpu": cpu,
        "queries": queries,
        "bytes": size,
        "peak_growth_mb": peak_rss_mb() - baseline,
    }


def _drain(response) -> int:
    if not response.streaming:
        return len(response.content)
    return sum(len(chunk) for chunk in response.streaming_content)


if __name__ == "__main__":
    # The export child process (see measure_exports): `python -m bench.exports '<json spec>'`.
    django.setup()
    print(json.dumps(export_child(json.loads(sys.argv[1]))))  # noqa: T201
