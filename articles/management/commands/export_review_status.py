"""Write the review status (or every paragraph's label) as CSV: the same file as the web export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.exports import csv as exports
from articles.models import Article, ReviewStatus
from articles.queue.filters import queue_filters
from articles.queue.queries import matching


class Command(BaseCommand):
    help = (
        "Write one CSV row per article (or, with --paragraphs, per paragraph) to standard "
        "output or a file, with the same columns, quoting and formula defence as the web export."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--paragraphs",
            action="store_true",
            help="One row per paragraph with its label instead of one per article.",
        )
        parser.add_argument(
            "--status",
            choices=ReviewStatus.values,
            help="Only articles in this status.",
        )
        parser.add_argument(
            "--source", help="Only articles from this site domain, e.g. bbc.co.uk."
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="File to write (default: standard output).",
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the app runs, for the review_url column (default: %(default)s).",
        )

    def handle(self, *, paragraphs, status, source, output, base_url, **options):
        wanted = {"status": status or "", "source": source or ""}
        filters = queue_filters(wanted)
        if source and "source" not in filters:
            raise CommandError(
                f"--source: {source!r} is not a site domain (at most 253 characters)."
            )
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(
                f"--base-url: {base_url!r} must start with http:// or https://."
            )
        articles = matching(Article.objects.all(), filters)
        if paragraphs:
            chunks = exports.csv_chunks(
                exports.PARAGRAPH_COLUMNS, exports.paragraph_lines(articles)
            )
        else:
            chunks = exports.csv_chunks(
                exports.ARTICLE_COLUMNS,
                exports.article_lines(
                    articles, review_url=exports.review_url_format(base_url)
                ),
            )
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        # Write beside the target and rename at the end, so a failed export never leaves a
        # truncated file that looks complete.
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8", newline="") as file:
                file.writelines(chunks)
            partial.replace(output)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror or error}") from error
        finally:
            partial.unlink(missing_ok=True)
        self.stderr.write(f"Wrote {output}")
