from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from articles import middleware, triggers
        from articles.api import admin as api_admin  # noqa: F401 (registers its admin)
        from articles.dashboard import rollups
        from articles.models.signals import article_revised
        from articles.quality.receivers import revision_undoes_sign_off
        from articles.revisions import admin  # noqa: F401  (registers its ModelAdmins)
        from articles.webhooks import admin as webhooks_admin  # noqa: F401
        from articles.webhooks import receivers

        # SQLite drops a table's triggers whenever a migration rebuilds it: the search index's
        # and the queue totals' are put back after every migrate.
        post_migrate.connect(triggers.ensure_sqlite_triggers, sender=self)
        # The dashboard's fast-run rule follows the settings (articles.dashboard.rollups).
        post_migrate.connect(rollups.sync_rule, sender=self)
        # Sliding session expiry: stamp the session at log-in, when it is saved anyway.
        user_logged_in.connect(middleware.stamp_session)
        # A new revision of an article undoes its sign-off (articles.quality).
        article_revised.connect(
            revision_undoes_sign_off, dispatch_uid="quality_revision_undoes_sign_off"
        )
        # Webhooks announce reviews, revisions and finished imports.
        receivers.connect()
