"""What each event says, and the signals that raise them (connected in ArticlesConfig.ready).

article.reviewed: labels completed an article (articles.models.status.articles_reviewed).
article.revised: the revisions feature wrote a new revision (articles.models.signals).
import.finished: an import run ended, finished or interrupted (articles.imports.runs).
article.signed_off: a Lead signed an article off (articles.models.signals, sent by
articles.quality).
"""

from articles.imports.runs import run_ended
from articles.models import Article, ImportRun, WebhookEvent
from articles.models.signals import article_revised, article_signed_off
from articles.models.status import articles_reviewed
from articles.webhooks.deliveries import emit, subscribed

ARTICLE_FIELDS = ("id", "external_id", "title", "source", "url", "status")


def article_data(article: Article) -> dict:
    return {"article": {name: getattr(article, name) for name in ARTICLE_FIELDS}}


def on_reviewed(sender, *, article_ids, user, **kwargs) -> None:
    hooks = subscribed(WebhookEvent.ARTICLE_REVIEWED)
    if (
        not hooks
    ):  # the label write pays one small query, and only when it completes one
        return
    for values in Article.objects.filter(pk__in=article_ids).values(*ARTICLE_FIELDS):
        emit(
            WebhookEvent.ARTICLE_REVIEWED,
            {"article": values, "by": user.get_username() if user else None},
            hooks=hooks,
        )


def on_revised(sender, *, article, revision, **kwargs) -> None:
    emit(WebhookEvent.ARTICLE_REVISED, {**article_data(article), "revision": revision})


def on_signed_off(sender, *, article, by, **kwargs) -> None:
    emit(
        WebhookEvent.ARTICLE_SIGNED_OFF,
        {**article_data(article), "by": by.get_username() if by else None},
    )


def on_run_ended(sender, *, run: ImportRun, **kwargs) -> None:
    emit(
        WebhookEvent.IMPORT_FINISHED,
        {
            "run": {
                "id": run.pk,
                "origin": run.origin,
                "state": run.state,
                "files": run.files_seen,
                "created": run.articles_created,
                "unchanged": run.articles_unchanged,
                "failed": run.articles_failed,
                "paragraphs": run.paragraphs_created,
            }
        },
    )


def connect() -> None:
    articles_reviewed.connect(on_reviewed, dispatch_uid="webhooks.reviewed")
    article_revised.connect(on_revised, dispatch_uid="webhooks.revised")
    article_signed_off.connect(on_signed_off, dispatch_uid="webhooks.signed_off")
    run_ended.connect(on_run_ended, dispatch_uid="webhooks.run_ended")
