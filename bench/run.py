"""One benchmark run (docs/benchmarks.md), in a fresh database:

1. bench.corpus.generate_corpus(): N deterministic articles written as `.txt` list literals (the
   customer's format) plus `ground_truth.json` naming every boilerplate paragraph;
2. the real importer (articles.imports.importers.import_paths) over that directory
   (bench.importing);
3. the queue, review and label views through django.test.Client (bench.pages: in-process,
   server time with every middleware and template, no network), and both CSV exports in a
   child process (bench.exports) so their peak memory is not hidden by the import's.
"""

import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import override_settings

from bench.corpus import generate_corpus
from bench.database import BENCH_SETTINGS, fresh_database
from bench.exports import measure_exports
from bench.importing import measure_import
from bench.machine import environment
from bench.pages import measure_pages
from bench.report import Report
from bench.revisions import measure_reimport


def run(
    *,
    articles: int,
    requests: int = 200,
    export_runs: int | None = None,
    keep: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> Report:
    """Generate, import and measure `articles` articles in a fresh database; return the report."""
    # WhiteNoise warns that STATIC_ROOT has not been collected; the pages do not need it here.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    workdir = Path(tempfile.mkdtemp(prefix="newsreview-benchmark-"))
    try:
        with fresh_database(workdir) as database, override_settings(**BENCH_SETTINGS):
            log(f"Generating {articles:,} articles in {workdir / 'corpus'} …")
            corpus = generate_corpus(workdir / "corpus", articles=articles)
            report = Report(
                environment=environment(),
                corpus={
                    "articles": corpus.articles,
                    "paragraphs": corpus.paragraphs,
                    "boilerplate": corpus.boilerplate,
                    "mb": corpus.bytes / 2**20,
                    "generated_seconds": corpus.seconds,
                },
            )
            log(f"Importing {corpus.paragraphs:,} paragraphs …")
            measure_import(corpus, report)
            if connection.vendor == "postgresql":
                # What autovacuum does within a minute of a bulk load in production; without
                # statistics the planner misjudges the full-text index (100x slower searches).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            user = get_user_model().objects.create_user("benchmark-reviewer")
            user.groups.add(Group.objects.get(name="Reviewer"))
            log("Labeling, scraping again and re-importing …")
            measure_reimport(corpus, report, user=user)
            log(f"Measuring pages ({requests} requests each) …")
            measure_pages(report, requests=requests, user=user)
            log("Measuring exports …")
            if export_runs is None:
                export_runs = 3 if articles <= 10_000 else 1
            connection.close()  # the child reads a settled database (SQLite WAL checkpoint)
            measure_exports(report, database=database, user=user, runs=export_runs)
            return report
    finally:
        if keep:
            log(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
