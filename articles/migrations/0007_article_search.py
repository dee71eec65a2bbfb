"""One SQLite search document per article instead of one per paragraph (articles/search.py).

A common word made every matching paragraph a candidate (27 per article); one document per
article makes it one. PostgreSQL keeps its GIN indexes (0003_search). Going back restores
0003's tables and triggers.
"""

import importlib

from django.db import migrations

OLD = importlib.import_module("articles.migrations.0003_search")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from articles import search

    with schema_editor.connection.cursor() as cursor:
        for statement in OLD.SQLITE_DROP:
            cursor.execute(statement)
        cursor.execute("DROP TABLE IF EXISTS articles_search_bulk")  # 0003 switched triggers off with it
        cursor.execute(search.SQLITE_DOCUMENT_VIEW)
        cursor.execute(search.SQLITE_INDEX)
        for name, body in search._SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER {name} {body}")
        cursor.execute(search.SQLITE_REBUILD)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from articles import search

    with schema_editor.connection.cursor() as cursor:
        for name in search._SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DROP TABLE IF EXISTS articles_search_fts")
        cursor.execute("DROP VIEW IF EXISTS articles_search_document")
        for statement in OLD.SQLITE_TABLES + OLD.SQLITE_TRIGGERS + OLD.SQLITE_FILL:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_article_tally")]

    operations = [migrations.RunPython(create, drop)]
