"""One PostgreSQL search document per article instead of GIN indexes per paragraph and title.

articles/search_postgresql.py says why and how. SQLite did the same in 0007_article_search.
Going back restores 0003's GIN indexes.
"""

import importlib

from django.db import migrations

OLD = importlib.import_module("articles.migrations.0003_search")


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles import search_postgresql

    _run(schema_editor, OLD.POSTGRESQL_DROP + search_postgresql.CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles import search_postgresql

    _run(schema_editor, search_postgresql.DROP + OLD.POSTGRESQL_CREATE)


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_article_search")]

    operations = [migrations.RunPython(create, drop)]
