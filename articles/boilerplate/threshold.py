"""The confidence at or above which Shift+A accepts suggestions: a Lead's setting, in the database.

Pages read it through accept_threshold(), kept in the process for
NEWSREVIEW_BOILERPLATE_MODEL_TTL seconds like the model (no query per page); accepting all
suggestions reads it fresh (current_threshold()), so a change is obeyed at once.
"""

import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import SuggestionSettings

DEFAULT = SuggestionSettings._meta.get_field("accept_threshold").default

_cache: dict = {"value": None, "read_at": 0.0}


def current_threshold() -> int:
    """The threshold in percent, read from the database now."""
    value = (
        SuggestionSettings.objects.filter(pk=1)
        .values_list("accept_threshold", flat=True)
        .first()
    )
    value = DEFAULT if value is None else value
    remember(value)
    return value


def accept_threshold() -> int:
    """The threshold in percent, from the process's copy when it is fresh enough."""
    value = _cache["value"]
    fresh = (
        time.monotonic() - _cache["read_at"] < settings.NEWSREVIEW_BOILERPLATE_MODEL_TTL
    )
    if value is not None and fresh:
        return value
    return current_threshold()


def remember(value: int | None) -> None:
    _cache["value"] = value
    _cache["read_at"] = time.monotonic()


def set_accept_threshold(value: int, *, user) -> SuggestionSettings:
    """Store a Lead's threshold (0 to 100, checked by the form) with who set it and when."""
    with transaction.atomic():
        row = SuggestionSettings.current()
        row.accept_threshold = value
        row.updated_by = user
        row.updated_at = timezone.now()
        row.save(update_fields=["accept_threshold", "updated_by", "updated_at"])
    remember(value)
    return row
