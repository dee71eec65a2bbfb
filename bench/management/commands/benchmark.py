"""`manage.py benchmark [--articles N] [--requests N] [--json FILE] [--keep]
[--boilerplate | --quality | --dashboard [--events N] | --pipeline [--events N]]`, or
`manage.py benchmark --browser [--runs N]` (docs/benchmarks.md)."""

import signal
import sys
from json import dumps  # the --json option's name shadows the module in handle()
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.boilerplate import run_boilerplate
from bench.browser import browser_table, run_browser
from bench.dashboard import run_dashboard
from bench.learned import run_learned
from bench.measure import BenchmarkError
from bench.pipeline import pipeline_table, run_pipeline
from bench.quality import quality_table, run_quality
from bench.report import boilerplate_table, learned_table
from bench.run import run


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
        parser.add_argument(
            "--boilerplate",
            action="store_true",
            help="Measure the boilerplate suggestions instead: recall, false positives, "
            "import throughput with them on and off, and the real readability pages.",
        )
        parser.add_argument(
            "--quality",
            action="store_true",
            help="Measure quality control instead: the agreement page and the sign-off POST "
            "with 10%% of the articles double-reviewed (written in bulk, not imported).",
        )
        parser.add_argument(
            "--dashboard",
            action="store_true",
            help="Measure the dashboard instead: --articles articles and --events label "
            "events written with SQL, the roll-ups rebuilt, the page timed as a Lead.",
        )
        parser.add_argument(
            "--events",
            type=int,
            default=3_000_000,
            help="Label events for --dashboard and --pipeline (default 3,000,000).",
        )

        parser.add_argument(
            "--browser",
            action="store_true",
            help="Measure the review page in Chromium instead: page ready and key press "
            "to saved, median of --runs (issue 13).",
        )
        parser.add_argument(
            "--runs", type=int, default=20, help="Runs per browser figure."
        )

        parser.add_argument(
            "--pipeline",
            action="store_true",
            help="Measure the pipeline instead (issue 17): API ingest over HTTP, the events "
            "feed at --events events, upload requests.",
        )

        parser.add_argument(
            "--learned",
            action="store_true",
            help="Measure the learned boilerplate model instead: leave-one-site-out on "
            "the real test pages (--pages) and leave-one-source-out on the generated corpus.",
        )
        parser.add_argument(
            "--pages",
            type=Path,
            help="With --learned: test/test-pages of a mozilla/readability checkout at "
            "ab4027a8 (docs/boilerplate.md).",
        )
        parser.add_argument(
            "--labels",
            type=int,
            default=0,
            help="With --learned: also time retraining on about this many labels.",
        )

    def handle(self, *, articles, requests, export_runs, json, keep, **options):
        if articles < 1 or requests < 1 or options["runs"] < 1:
            raise CommandError("--articles, --requests and --runs must be at least 1.")
        if options["browser"]:
            result = run_browser(
                runs=options["runs"], log=lambda message: self.stderr.write(message)
            )
            self.stdout.write(browser_table(result))
            if json:
                json.write_text(dumps(result, indent=2, default=str), encoding="utf-8")
            return
        if options["pipeline"]:
            result = run_pipeline(
                articles=articles,
                events=options["events"],
                requests=requests,
                log=lambda message: self.stderr.write(message),
            )
            self.stdout.write(pipeline_table(result))
            if json:
                json.write_text(dumps(result, indent=2, default=str), encoding="utf-8")
            return
        if options["dashboard"]:
            if options["events"] < articles:
                raise CommandError("--events must be at least --articles.")
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
            report = run_dashboard(
                articles=articles,
                events=options["events"],
                requests=requests,
                log=lambda message: self.stderr.write(message),
            )
            self.stdout.write(report.as_table())
            if json:
                json.write_text(report.as_json(), encoding="utf-8")
            return
        if options["learned"]:
            pages = options["pages"]
            if pages is None or not pages.is_dir():
                raise CommandError(
                    "--pages: give the test/test-pages directory of a mozilla/readability "
                    'checkout (docs/boilerplate.md, "Measured").'
                )
            result = run_learned(
                pages_dir=pages,
                labels=options["labels"],
                log=lambda message: self.stderr.write(message),
            )
            self.stdout.write(learned_table(result))
            if json:
                json.write_text(dumps(result, indent=2), encoding="utf-8")
            return
        if options["boilerplate"]:
            result = run_boilerplate(
                articles=articles, log=lambda message: self.stderr.write(message)
            )
            self.stdout.write(boilerplate_table(result))
            if json:
                json.write_text(
                    dumps(result, indent=2, default=str),
                    encoding="utf-8",
                )
            return
        # A stopped run (kill, Ctrl-C) still drops its database and temporary files.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        if options["quality"]:
            try:
                report = run_quality(
                    articles=articles,
                    requests=requests,
                    log=lambda message: self.stderr.write(message),
                )
            except BenchmarkError as error:
                raise CommandError(error) from error
            self.stdout.write(quality_table(report))
            if json:
                json.write_text(report.as_json(), encoding="utf-8")
            return
        try:
            report = run(
                articles=articles,
                requests=requests,
                export_runs=export_runs,
                keep=keep,
                log=lambda message: self.stderr.write(message),
            )
        except BenchmarkError as error:
            raise CommandError(error) from error
        self.stdout.write(report.as_table())
        if json:
            json.write_text(report.as_json(), encoding="utf-8")
