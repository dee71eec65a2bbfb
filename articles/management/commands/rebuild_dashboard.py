"""manage.py rebuild_dashboard: recount the dashboard's roll-ups from the audit trail."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.dashboard.rollups import current_rule, rebuild


class Command(BaseCommand):
    help = (
        "Recount the dashboard's daily roll-ups from the label events and the articles "
        "(after label events were edited or loaded with SQL, the fast-run rule or the "
        "time zone changed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database: str, **options):
        started = time.perf_counter()
        rebuild(using=database)
        labels, seconds = current_rule()
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Dashboard roll-ups rebuilt in {time.perf_counter() - started:.1f} s "
                f"(fast runs: {labels} labels within {seconds} s; days in "
                f"{settings.TIME_ZONE})."
            )
        )
