"""`manage.py train_boilerplate [--if-due]`: learn boilerplate from the desk's labels now.

Trains the boilerplate model on every labeled paragraph (docs/boilerplate.md, "Learning from
labels"), stores it as the model in use and re-scores the unlabeled paragraphs, saying how the
suggestions changed. One run at a time: a second one waits for nobody, it says so and stops.
`--if-due` trains only when enough labels changed since the last model (what the web process
starts in the background, and what a cron line can run).
"""

from django.core.management.base import BaseCommand, CommandError

from articles.boilerplate import retraining, training
from articles.boilerplate.model import active_model, remember
from articles.boilerplate.rescoring import rescore_unlabeled
from articles.models import LearnedModel


class Command(BaseCommand):
    help = (
        "Train the boilerplate model on the labels people set, make it the model in use "
        "and re-score the unlabeled paragraphs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-due",
            action="store_true",
            help="Train only when 20 label changes (NEWSREVIEW_BOILERPLATE_RETRAIN_EVERY) "
            "came since the last model; otherwise do nothing, quietly.",
        )
        parser.add_argument(
            "--trigger",
            choices=LearnedModel.Trigger.values,
            default=LearnedModel.Trigger.COMMAND,
            help="What started this run, recorded with the model (default: command).",
        )

    def handle(self, *, if_due, trigger, **options):
        if if_due and not retraining.due():
            self.stdout.write("Not due: too few label changes since the last model.")
            return
        if not retraining.claim_training():
            message = "Another training run is under way; try again when it has ended."
            if if_due:
                self.stdout.write(message)
                return
            raise CommandError(message)
        try:
            remember(None)  # the model in use now, read from the database
            previous = active_model()
            try:
                row = training.train_from_labels(trigger=trigger)
            except training.NotEnoughLabels as error:
                if if_due:
                    self.stdout.write(str(error))
                    return
                raise CommandError(str(error)) from error
            new = active_model()
            self.stdout.write(self._trained(row))
            rescored = rescore_unlabeled(previous, new)
            self.stdout.write(
                f"Re-scored {rescored.paragraphs:,} unlabeled paragraphs: "
                f"{rescored.before:,} suggested by the previous model "
                f"(version {previous.version}), {rescored.after:,} now; "
                f"{rescored.after - rescored.both:,} new, "
                f"{rescored.before - rescored.both:,} no longer suggested."
            )
        finally:
            retraining.release_training()

    @staticmethod
    def _trained(row: LearnedModel) -> str:
        precision = (
            "not estimated (too few articles)"
            if row.precision is None
            else f"{row.precision:.0%} precision, {row.recall:.0%} recall (cross-validated)"
        )
        own = (
            f"; {row.sources} source{'s' * (row.sources != 1)} with a model of its own"
            if row.sources
            else ""
        )
        return (
            f"Trained boilerplate model version {row.pk} on {row.examples:,} labeled "
            f"paragraphs ({row.boilerplate:,} boilerplate) in {row.seconds:.1f} s: "
            f"{precision}{own}."
        )
