"""`manage.py build_boilerplate_model --pages DIR` (docs/boilerplate.md, "The starting model")."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.boilerplate.model import STARTING_MODEL
from bench.learned import (
    FIRST_DAY_ARTICLES,
    FIRST_DAY_SEEDS,
    build,
    generated_pages,
)
from bench.real_pages import load_pages


class Command(BaseCommand):
    help = (
        "Train the starting boilerplate model shipped with the package on Mozilla "
        "Readability's test pages and the generated corpus; writes starting_model.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pages",
            type=Path,
            required=True,
            help="test/test-pages of a mozilla/readability checkout at ab4027a8.",
        )
        parser.add_argument("--output", type=Path, default=STARTING_MODEL)

    def handle(self, *, pages, output, **options):
        if not pages.is_dir():
            raise CommandError(f"--pages: {pages} is not a directory.")
        real = load_pages(pages)
        if not real:
            raise CommandError(
                f"--pages: no page in {pages} has source.html and expected.html."
            )
        first_days = [
            generated_pages(FIRST_DAY_ARTICLES, seed) for seed in FIRST_DAY_SEEDS
        ]
        model = build(real, generated_pages(), first_days)
        output.write_text(
            json.dumps(model.as_json(), indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        general = model.general
        self.stdout.write(
            f"Wrote {output}: {model.trained_on}; cross-validated precision "
            f"{general.precision}, recall {general.recall} at cutoff {general.cutoff}."
        )
