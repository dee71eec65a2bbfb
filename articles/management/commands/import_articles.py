import sys

from django.core.management.base import BaseCommand

from articles.imports.importers import import_paths


class Command(BaseCommand):
    help = (
        "Import articles from .txt/.json/.jsonl files, directories and .zip archives."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="Files, directories or .zip archives."
        )
        parser.add_argument(
            "--source", default="", help="Site domain for every article."
        )

    def handle(self, *args, paths, source, **options):
        bar = self._bar if self.stdout.isatty() else None
        result = import_paths(paths, source=source, progress=bar)
        if bar:
            self.stdout.write("")
        for error in result.errors:
            self.stderr.write(f"{error['file']}: {error['reason']}")
        for file in result.files:
            revised = f" ({file.changes_line})" if file.revised else ""
            self.stdout.write(
                f"{file.name}: {file.created} created, {file.unchanged} unchanged, "
                f"{file.revised} revised{revised}, {file.failed} refused"
            )
        if result.files_not_listed:
            self.stdout.write(f"… and {result.files_not_listed:,} more files")
        summary = (
            f"Imported {result.created} articles ({result.paragraphs} paragraphs), "
            f"{result.unchanged} unchanged, {result.revised} revised, "
            f"{result.failed} failed."
        )
        self.stdout.write(summary)
        if result.failed:
            sys.exit(1)

    def _bar(self, done: int, total: int) -> None:
        filled = 30 * done // total
        sys.stdout.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} files"
        )
        sys.stdout.flush()
