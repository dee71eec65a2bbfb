"""What the Boilerplate page says about the learned model: the one in use, its track record,
the labels it could learn from, when it retrains, and the Lead's threshold for Shift+A."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from articles.boilerplate.model import Model, active_model
from articles.boilerplate.retraining import STALE_AFTER_S
from articles.boilerplate.threshold import DEFAULT, remember
from articles.boilerplate.training import label_counts
from articles.models import LabelEvent, LearnedModel, SuggestionSettings


@dataclass
class Status:
    """What the Boilerplate page says about the model."""

    model: Model  # in use
    trained: LearnedModel | None  # its row, None for the starting model
    history: list[LearnedModel]  # the newest trained versions
    boilerplate_labels: int
    other_labels: int
    changes_since: int  # label changes since the model in use was trained
    needed: int  # labels of each class before the first training
    every: int  # label changes between trainings
    background: bool
    running: bool
    accept_threshold: int  # the Lead's setting for Shift+A, percent


def status(*, history: int = 5) -> Status:
    """The model in use, the labels it could learn from and the settings: four small queries."""
    rows = list(LearnedModel.objects.order_by("-pk")[:history])
    model = active_model()
    trained = next((row for row in rows if str(row.pk) == model.version), None)
    boilerplate, other = label_counts()
    since = trained.last_event_id if trained else 0
    threshold, training_since = (
        SuggestionSettings.objects.filter(pk=1)
        .values_list("accept_threshold", "training_since")
        .first()
    ) or (DEFAULT, None)
    remember(threshold)
    return Status(
        model=model,
        trained=trained,
        history=rows,
        boilerplate_labels=boilerplate,
        other_labels=other,
        changes_since=LabelEvent.objects.filter(
            pk__gt=since, field=LabelEvent.Field.LABEL
        ).count(),
        needed=settings.NEWSREVIEW_BOILERPLATE_RETRAIN_MIN_LABELS,
        every=settings.NEWSREVIEW_BOILERPLATE_RETRAIN_EVERY,
        background=settings.NEWSREVIEW_BOILERPLATE_RETRAIN == "background",
        running=training_since is not None
        and timezone.now() - training_since < datetime.timedelta(seconds=STALE_AFTER_S),
        accept_threshold=threshold,
    )
