"""`manage.py benchmark [--articles N] [--requests N] [--json FILE] [--keep]` (docs/benchmarks.md)."""

import signal
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import benchmark


class Command(BaseCommand):
    help = "Generate N seed-like articles, import them into a fresh database and time the real code paths."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument(
            "--requests", type=int, default=200, help="Requests per page measured."
        )
        parser.add_argument(
            "--export-runs",
            type=int,
            help="Runs per export (default 3, 1 above 10,000 articles).",
        )
        parser.add_argument(
            "--json", type=Path, help="Also write the results to this JSON file."
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the generated files."
        )

    def handle(self, *, articles, requests, export_runs, json, keep, **options):
        if articles < 1 or requests < 1:
            raise CommandError("--articles and --requests must be at least 1.")
        # A stopped run (kill, Ctrl-C) still drops its database and temporary files.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            report = benchmark.run(
                articles=articles,
                requests=requests,
                export_runs=export_runs,
                keep=keep,
                log=lambda message: self.stderr.write(message),
            )
        except benchmark.BenchmarkError as error:
            raise CommandError(error) from error
        self.stdout.write(report.as_table())
        if json:
            json.write_text(report.as_json(), encoding="utf-8")
