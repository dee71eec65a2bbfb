"""The roll-ups' upkeep: SQLite triggers put back after a table rebuild, the fast-run rule
following the settings, the pace histogram's medians."""

import pytest
from django.db import connection

from articles.dashboard.pace import bucket_of, lower_median
from articles.dashboard.rollups import sync_rule
from articles.models import DashboardSetting, LabelDay
from articles.review.labels import set_label
from articles.triggers import ensure_sqlite_triggers


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers")
def test_a_lost_event_trigger_comes_back_and_the_roll_ups_are_recounted(
    make_article, reviewer
):
    article = make_article(source="a.com", n=2)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_dashboard_event_insert")
    set_label(article_id=article.pk, position=1, label="verified", user=reviewer)
    assert not LabelDay.objects.filter(verified__gt=0).exists()  # unseen

    assert ensure_sqlite_triggers(using="default") == [
        "articles_dashboard_event_insert"
    ]
    assert LabelDay.objects.get(reviewer_id=reviewer.pk).verified == 1
    set_label(article_id=article.pk, position=2, label="verified", user=reviewer)
    assert LabelDay.objects.get(reviewer_id=reviewer.pk).verified == 2
    assert ensure_sqlite_triggers(using="default") == []


@pytest.mark.django_db
def test_the_fast_run_rule_follows_the_settings_after_a_migrate(settings):
    assert DashboardSetting.objects.get(pk=1).fast_labels == 6
    settings.NEWSREVIEW_FAST_RUN_LABELS = 4
    settings.NEWSREVIEW_FAST_RUN_SECONDS = 3
    sync_rule(using="default")
    rule = DashboardSetting.objects.get(pk=1)
    assert (rule.fast_labels, rule.fast_seconds) == (4, 3)


def test_buckets_and_the_lower_median():
    assert [
        bucket_of(ms) for ms in (0, 999, 1000, 119_999, 120_000, 599_999, 600_000)
    ] == [
        0,
        0,
        1,
        119,
        120,
        590,
        600,
    ]
    assert lower_median({}, below=300) is None
    assert lower_median({5: 1, 7: 1}, below=300).seconds == 5  # the smaller middle one
    assert lower_median({5: 1, 7: 1, 9: 1}, below=300).seconds == 7
    # Breaks are left out: 400 s does not pull the median up.
    median = lower_median({3: 2, 400: 5}, below=300)
    assert (median.seconds, median.timed) == (3, 2)
    assert str(lower_median({130: 1}, below=300)) == "130\N{EN DASH}140 s"


@pytest.mark.django_db
def test_a_re_imports_carried_and_cleared_labels_are_no_ones_throughput(
    tmp_path, reviewer, lead
):
    from articles.imports.importers import import_paths
    from articles.models import Article

    def import_text(folder, paragraphs):
        folder.mkdir()
        (folder / "story.txt").write_text(repr(paragraphs))
        return import_paths([folder], user=lead)

    import_text(tmp_path / "a", ["<p>One.</p>", "<p>Two.</p>", "<p>Three.</p>"])
    article = Article.objects.get(external_id="story")
    for position in (1, 2, 3):
        set_label(
            article_id=article.pk, position=position, label="verified", user=reviewer
        )
    before = list(LabelDay.objects.values_list("reviewer_id", "verified", "cleared"))
    assert before == [(reviewer.pk, 3, 0)]

    # Two paragraphs carried over (events "carried" by the importing Lead), one edited and so
    # cleared (an event "revision"): audit entries, but nobody labeled or cleared anything.
    assert import_text(
        tmp_path / "b", ["<p>One.</p>", "<p>Two.</p>", "<p>3.</p>"]
    ).revised
    assert (
        list(LabelDay.objects.values_list("reviewer_id", "verified", "cleared"))
        == before
    )


@pytest.mark.django_db
def test_a_sign_off_moves_the_article_in_the_backlog_and_a_rebuild_agrees(
    make_article, reviewer, lead
):
    import datetime

    from django.utils import timezone

    from articles.dashboard.rollups import rebuild
    from articles.models import StatusDay
    from articles.quality.signoff import sign_off

    article = make_article(source="a.com", n=2)
    for position in (1, 2):
        set_label(
            article_id=article.pk, position=position, label="verified", user=reviewer
        )
    # Reviewed two days ago, signed off today.
    from articles.models import Article

    Article.objects.filter(pk=article.pk).update(
        last_reviewed_at=timezone.now() - datetime.timedelta(days=2)
    )
    article.refresh_from_db()
    sign_off(
        article_id=article.pk,
        user=lead,
        seen_reviewed_at=article.last_reviewed_at,
        seen_hash=article.content_hash,
    )

    def rows():
        return sorted(
            StatusDay.objects.exclude(delta=0).values_list("day", "status", "delta")
        )

    live = rows()
    assert ("signed_off", 1) in [(status, delta) for _, status, delta in live]
    rebuild(using="default")
    assert rows() == live
