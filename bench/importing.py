"""The import row: the real importer over the generated files, its time, CPU and memory."""

import time

from articles.imports.importers import import_paths
from articles.models import ImportRun
from bench.corpus import Corpus
from bench.machine import at_calibration, cpu_with_children, rss_mb
from bench.measure import BenchmarkError
from bench.report import TARGETS, Report, Row


def measure_import(corpus: Corpus, report: Report) -> None:
    """Import the corpus's files with the real importer; append the import row."""
    # RSS sampled as the import goes: flat from the first tenth to the end means memory does
    # not grow with the number of articles (files streamed, rows inserted in batches). Only
    # two numbers are kept, so the measuring itself does not grow either.
    rss = {"tenth": 0.0, "peak": 0.0}

    def progress(done: int, total: int) -> None:
        tenth = not rss["tenth"] and done * 10 >= total
        # Read 200 times a run: reading /proc after every file cost 1% of the import's time.
        if not tenth and done % max(1, total // 200):
            return
        now = rss_mb()
        rss["peak"] = max(rss["peak"], now)
        if tenth:
            rss["tenth"] = now

    before = rss_mb()
    started, cpu_started = time.perf_counter(), cpu_with_children()
    result = import_paths(
        [corpus.files], origin=ImportRun.Origin.COMMAND, progress=progress
    )
    seconds = time.perf_counter() - started
    cpu = cpu_with_children() - cpu_started
    after = rss_mb()
    if result.failed or result.paragraphs != corpus.paragraphs:
        raise BenchmarkError(
            f"import: {result.paragraphs:,} of {corpus.paragraphs:,} paragraphs created, "
            f"{result.failed} failures: {result.errors[:3]}"
        )
    rate = corpus.paragraphs / seconds
    tenth = rss["tenth"] or before
    report.rows.append(
        Row(
            "import",
            TARGETS["import"],
            n=corpus.articles,
            seconds=seconds,
            cpu_ms=cpu * 1000,
            mb=after - before,
            note=(
                f"{rate:,.0f} ¶/s, {corpus.articles / seconds:,.0f} articles/s; RSS "
                f"{before:.0f} → {tenth:.0f} (at 10%) → {max(after, rss['peak']):.0f} MB peak"
            ),
            # The rate as on a minute when the calibration loop takes 8 ms (a faster machine
            # imports more per second, so the rate scales inversely to a time).
            met=rate / at_calibration(1.0) >= 25_000,
        )
    )
