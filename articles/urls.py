from django.urls import include, path, register_converter

from articles.api import views as api_tokens
from articles.boilerplate import views as boilerplate
from articles.converters import IdConverter
from articles.dashboard import views as dashboard
from articles.exports import views as exports
from articles.imports import views as imports
from articles.jobs import views as jobs
from articles.queue import bulk as queue_bulk
from articles.queue import views as queue
from articles.review import assignment, navigation, preferences
from articles.review import views as review
from articles.revisions import views as revisions
from articles.webhooks import views as webhooks

app_name = "articles"

register_converter(IdConverter, "id")

urlpatterns: list = [
    path("", queue.queue, name="queue"),
    path("queue/bulk/", queue_bulk.bulk, name="queue_bulk"),
    path("articles/<id:pk>/", review.detail, name="detail"),
    path(
        "articles/<id:pk>/paragraphs/<id:position>/label/",
        review.label,
        name="label",
    ),
    path("articles/<id:pk>/paragraphs/<id:position>/note/", review.note, name="note"),
    path(
        "articles/<id:pk>/paragraphs/<id:position>/",
        review.paragraph_page,
        name="paragraph",
    ),
    path("articles/<id:pk>/undo/", review.undo, name="undo"),
    path(
        "articles/<id:pk>/boilerplate-rest/",
        review.boilerplate_rest,
        name="boilerplate_rest",
    ),
    path("articles/<id:pk>/assign/", assignment.assign, name="assign"),
    path("articles/<id:pk>/reset/", review.reset, name="reset"),
    path(
        "articles/<id:pk>/suggestions/accept/",
        review.accept_suggestions,
        name="accept_suggestions",
    ),
    path("articles/<id:pk>/next/", navigation.next_article, name="next"),
    path("articles/<id:pk>/previous/", navigation.previous_article, name="previous"),
    path("export/articles.csv", exports.articles_csv, name="export_articles"),
    path("export/paragraphs.csv", exports.paragraphs_csv, name="export_paragraphs"),
    path(
        "export/paragraphs.jsonl",
        exports.paragraphs_jsonl,
        name="export_paragraphs_jsonl",
    ),
    path("boilerplate/", boilerplate.overview, name="boilerplate"),
    path("boilerplate/apply/", boilerplate.apply, name="boilerplate_apply"),
    path("boilerplate/undo/<id:pk>/", boilerplate.undo, name="boilerplate_undo"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.csv", dashboard.panel_csv, name="dashboard_csv"),
    path("boilerplate/threshold/", boilerplate.threshold, name="boilerplate_threshold"),
    path("import/", imports.upload, name="import"),
    path("import/<id:pk>/", imports.run_detail, name="import_run"),
    path(
        "articles/<id:pk>/revisions/<id:number>/",
        revisions.revision,
        name="revision",
    ),
    # Imported here, after the <id:…> converter is registered.
    path("", include("articles.quality.urls")),
    path("accounts/preferences/", preferences.preferences, name="preferences"),
    path("import/<id:pk>/again/", jobs.run_again, name="import_run_again"),
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/<id:pk>/", webhooks.webhook_detail, name="webhook"),
    path("webhooks/<id:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("api-tokens/", api_tokens.token_list, name="api_tokens"),
    path(
        "api-tokens/<id:pk>/revoke/", api_tokens.token_revoke, name="api_token_revoke"
    ),
]
