"""Boilerplate intelligence: paragraph signals, repetition counts per source, propagations.

Existing paragraphs get their signals and the counts are built from what is stored, so an
upgraded database suggests at once. Leads get the new propagate_article permission.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Added to the Lead group (tests/conftest.py recreates roles from this list too).
LEAD = ["propagate_article"]


def fill(apps, schema_editor):
    from articles.boilerplate import static_signals
    from articles.services import rebuild_repeated_texts

    Paragraph = apps.get_model("articles", "Paragraph")
    changed = []
    for paragraph in Paragraph.objects.only("html", "text").iterator(chunk_size=2000):
        paragraph.link_share, paragraph.cues = static_signals(paragraph.html, paragraph.text)
        if paragraph.link_share or paragraph.cues:
            changed.append(paragraph)
        if len(changed) >= 2000:
            Paragraph.objects.bulk_update(changed, ["link_share", "cues"])
            changed = []
    Paragraph.objects.bulk_update(changed, ["link_share", "cues"])
    rebuild_repeated_texts(
        repeated_text=apps.get_model("articles", "RepeatedText"),
        paragraph=Paragraph,
        article=apps.get_model("articles", "Article"),
    )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    lead = Group.objects.filter(name="Lead").first()
    if lead:
        lead.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=LEAD)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0003_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='article',
            options={'ordering': ['-imported_at', '-id'], 'permissions': [('label_article', 'Can label paragraphs and edit notes'), ('export_article', 'Can export review data as CSV'), ('import_article', 'Can import articles'), ('assign_article', 'Can assign articles to reviewers'), ('reset_article', "Can reset an article's labels"), ('propagate_article', "Can apply a label to a source's identical paragraphs, and undo it")]},
        ),
        migrations.AddField(
            model_name='paragraph',
            name='cues',
            field=models.PositiveSmallIntegerField(default=0, editable=False, help_text='Copyright (1) and call-to-action (2) flags.'),
        ),
        migrations.AddField(
            model_name='paragraph',
            name='link_share',
            field=models.PositiveSmallIntegerField(default=0, editable=False, help_text='Percent of the text that is link text.'),
        ),
        migrations.CreateModel(
            name='Propagation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('batch', models.UUIDField(unique=True)),
                ('source', models.CharField(max_length=253)),
                ('text_hash', models.CharField(max_length=32)),
                ('label', models.CharField(choices=[('verified', 'Verified'), ('unverified', 'Unverified'), ('boilerplate', 'Boilerplate')], max_length=12)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('paragraphs', models.PositiveIntegerField(default=0)),
                ('articles', models.PositiveIntegerField(default=0)),
                ('undone_at', models.DateTimeField(blank=True, null=True)),
                ('undone_paragraphs', models.PositiveIntegerField(default=0)),
                ('undone_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='RepeatedText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=253)),
                ('text_hash', models.CharField(blank=True, max_length=32)),
                ('article_count', models.PositiveIntegerField(default=0)),
                ('paragraph_count', models.PositiveIntegerField(default=0)),
                ('boilerplate_labels', models.IntegerField(default=0)),
                ('last_labeled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('article_count__gte', 2)), fields=['source', '-article_count'], name='repeated_text_source_count'), models.Index(condition=models.Q(('article_count__gte', 2)), fields=['-article_count'], name='repeated_text_count')],
                'constraints': [models.UniqueConstraint(fields=('source', 'text_hash'), name='repeated_text_unique')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
