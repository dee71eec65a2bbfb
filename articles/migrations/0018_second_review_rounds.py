"""Rounds of second review (articles.quality.second) and the sign-off that overrides unsettled
disagreements (articles.quality.signoff).

SecondReview: `article` (one-to-one) becomes "the article while this is its current round",
NULL once a later round replaces it; `of_article` always names the article; `round` numbers
them; `content_hash` is the content a round is about. SecondOpinion gets `position` (which
paragraph an earlier round's opinion was about, once detached). SignOff gets `unsettled`.

Backfill: every existing review is round 1 of its article; its content is the article's now,
or "" when a revision came after it was submitted (its text changed since, so a new round may
start); each opinion's position is its paragraph's.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery


def backfill(apps, schema_editor):
    SecondReview = apps.get_model("articles", "SecondReview")
    SecondOpinion = apps.get_model("articles", "SecondOpinion")
    Article = apps.get_model("articles", "Article")
    SecondReview.objects.update(of_article_id=F("article_id"))
    hash_now = Subquery(
        Article.objects.filter(pk=OuterRef("article_id")).values("content_hash")[:1]
    )
    revised_after = Q(
        finished_at__isnull=False,
        article__revised_at__isnull=False,
        article__revised_at__gt=F("finished_at"),
    )
    SecondReview.objects.exclude(revised_after).update(content_hash=hash_now)
    SecondOpinion.objects.filter(paragraph__isnull=False).update(
        position=Subquery(
            apps.get_model("articles", "Paragraph")
            .objects.filter(pk=OuterRef("paragraph_id"))
            .values("position")[:1]
        )
    )
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys of these UPDATEs now: PostgreSQL refuses to ALTER a
        # table with pending trigger events (the NOT NULL below).
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# SQLite rebuilds articles_signoff to add a NOT NULL column, and refuses to while a trigger on
# another table writes to it: the sign-off withdrawal trigger (a copy of
# articles.triggers.SIGN_OFF_SQLITE as 0012 made it) goes for the rebuild and comes back.
SQLITE_SIGN_OFF_TRIGGER = """CREATE TRIGGER articles_article_sign_off_withdrawn AFTER UPDATE OF signed_off_id ON articles_article
    WHEN old.signed_off_id IS NOT NULL AND new.signed_off_id IS NULL BEGIN
        UPDATE articles_signoff SET
            withdrawn_at = coalesce(new.last_reviewed_at, strftime('%Y-%m-%d %H:%M:%f', 'now')),
            withdrawn_by_id = new.last_reviewed_by_id,
            withdrawn_reason = 'A label changed after the sign-off.'
        WHERE id = old.signed_off_id AND withdrawn_at IS NULL; END"""


def drop_sign_off_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS articles_article_sign_off_withdrawn")


def create_sign_off_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        drop_sign_off_trigger(apps, schema_editor)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(SQLITE_SIGN_OFF_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_learned_boilerplate"),
    ]

    operations = [
        migrations.RunPython(drop_sign_off_trigger, create_sign_off_trigger),
        migrations.AddField(
            model_name="secondopinion",
            name="position",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="secondreview",
            name="content_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="secondreview",
            name="round",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="secondreview",
            name="of_article",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="second_review_rounds",
                to="articles.article",
            ),
        ),
        migrations.AddField(
            model_name="signoff",
            name="unsettled",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(create_sign_off_trigger, drop_sign_off_trigger),
        migrations.AlterField(
            model_name="secondreview",
            name="article",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="second_review",
                to="articles.article",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="secondreview",
            name="of_article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="second_review_rounds",
                to="articles.article",
            ),
        ),
        migrations.AddConstraint(
            model_name="secondreview",
            constraint=models.UniqueConstraint(
                fields=("of_article", "round"), name="second_review_round_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="secondreview",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("article__isnull", True), ("finished_at__isnull", False)
                )
                | models.Q(
                    ("article", models.F("of_article")), ("article__isnull", False)
                ),
                name="second_review_current_is_own",
            ),
        ),
    ]
