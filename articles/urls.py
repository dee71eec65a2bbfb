from django.urls import path, register_converter

from articles.boilerplate import views as boilerplate
from articles.converters import IdConverter
from articles.exports import views as exports
from articles.imports import views as imports
from articles.queue import views as queue
from articles.review import views as review

app_name = "articles"

register_converter(IdConverter, "id")

urlpatterns: list = [
    path("", queue.queue, name="queue"),
    path("articles/<id:pk>/", review.detail, name="detail"),
    path(
        "articles/<id:pk>/paragraphs/<id:position>/label/",
        review.label,
        name="label",
    ),
    path("articles/<id:pk>/paragraphs/<id:position>/note/", review.note, name="note"),
    path(
        "articles/<id:pk>/boilerplate-rest/",
        review.boilerplate_rest,
        name="boilerplate_rest",
    ),
    path("articles/<id:pk>/assign/", review.assign, name="assign"),
    path("articles/<id:pk>/reset/", review.reset, name="reset"),
    path(
        "articles/<id:pk>/suggestions/accept/",
        review.accept_suggestions,
        name="accept_suggestions",
    ),
    path("articles/<id:pk>/next/", review.next_article, name="next"),
    path("articles/<id:pk>/previous/", review.previous_article, name="previous"),
    path("export/articles.csv", exports.articles_csv, name="export_articles"),
    path("export/paragraphs.csv", exports.paragraphs_csv, name="export_paragraphs"),
    path("boilerplate/", boilerplate.overview, name="boilerplate"),
    path("boilerplate/apply/", boilerplate.apply, name="boilerplate_apply"),
    path("boilerplate/undo/<id:pk>/", boilerplate.undo, name="boilerplate_undo"),
    path("boilerplate/threshold/", boilerplate.threshold, name="boilerplate_threshold"),
    path("import/", imports.upload, name="import"),
    path("import/<id:pk>/", imports.run_detail, name="import_run"),
]
