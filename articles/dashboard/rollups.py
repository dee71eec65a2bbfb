"""The roll-ups' writes that are not triggers: a full recount from the audit trail
(`manage.py rebuild_dashboard`, and the dashboard itself when the roll-ups are stale), and the
fast-run rule copied from the settings after every migrate."""

from django.conf import settings
from django.db import connections, transaction

from articles.models import DashboardSetting
from articles.rollup_triggers import dashboard_recount


def current_rule() -> tuple[int, int]:
    """(labels, seconds) of the fast-run rule in the settings."""
    return settings.NEWSREVIEW_FAST_RUN_LABELS, settings.NEWSREVIEW_FAST_RUN_SECONDS


def rebuild(*, using: str = "default") -> None:
    """Recount LabelDay, PaceDay and StatusDay from the label events and the articles, under
    the settings' fast-run rule, in one transaction (readers see the old figures until it
    commits)."""
    connection = connections[using]
    labels, seconds = current_rule()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in dashboard_recount(
            connection.vendor, fast_labels=labels, fast_seconds=seconds
        ):
            cursor.execute(statement)


def sync_rule(*, using: str = "default", **kwargs) -> None:
    """After every migrate (articles.apps): the triggers flag with the settings' rule from now
    on. Runs already counted keep the rule they were counted with until `rebuild_dashboard`;
    the dashboard says so when the two differ."""
    labels, seconds = current_rule()
    rows = DashboardSetting.objects.using(using)
    if not rows.filter(pk=1, fast_labels=labels, fast_seconds=seconds).exists():
        rows.update_or_create(
            pk=1, defaults={"fast_labels": labels, "fast_seconds": seconds}
        )


def refresh_if_stale(*, using: str = "default") -> bool:
    """Recount when label events were edited or deleted since the last count (the triggers
    marked the roll-ups stale); returns whether it did. The row is locked first, so of two
    requests that find them stale one recounts and the other then reads its result."""
    with transaction.atomic(using=using):
        stale = (
            DashboardSetting.objects.using(using)
            .select_for_update()
            .filter(pk=1, stale=True)
            .exists()
        )
        if stale:
            rebuild(using=using)
    return stale
