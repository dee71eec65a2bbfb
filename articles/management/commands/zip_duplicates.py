"""List the articles the old zip rule imported twice; with --merge, make each group one."""

import sys

from django.core.management.base import BaseCommand

from articles.revisions.duplicates import find_duplicates, merge_group


class Command(BaseCommand):
    help = (
        "List articles imported more than once because a zip's name was part of their id "
        "(batch-a.zip:000_x beside 000_x); --merge makes each group one article under the "
        "plain id, keeping every label and the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--merge",
            action="store_true",
            help="Merge each group (default: only list).",
        )

    def handle(self, *args, merge, **options):
        groups = find_duplicates()
        refused = 0
        for group in groups:
            ids = ", ".join(
                f"{a.external_id} (#{a.pk}, {a.labeled_count}/{a.paragraph_count} labeled)"
                for a in group.articles
            )
            self.stdout.write(f"{group.stem}: {ids}")
            if not merge:
                continue
            merge_group(group)
            if group.merged:
                self.stdout.write(
                    f"  merged into {group.stem}: {group.labels_carried} label"
                    f"{'s' * (group.labels_carried != 1)} carried over"
                )
            else:
                refused += 1
                for problem in group.problems:
                    self.stderr.write(f"  not merged: {problem}")
        if not groups:
            self.stdout.write("No articles with a zip's name in their id.")
        elif not merge:
            self.stdout.write(
                f"{len(groups)} group{'s' * (len(groups) != 1)}; run with --merge to merge them."
            )
        if refused:
            self.stderr.write(
                f"{refused} group{'s' * (refused != 1)} left as they were: settle the labels "
                "on the review page, then run again."
            )
            sys.exit(1)
