from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from articles.search import ensure_sqlite_triggers

        # SQLite drops the search index's triggers whenever a migration rebuilds a table.
        post_migrate.connect(ensure_sqlite_triggers, sender=self)
