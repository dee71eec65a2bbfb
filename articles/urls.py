from django.urls import path

from articles.boilerplate import views as boilerplate
from articles.exports import views as exports
from articles.imports import views as imports
from articles.queue import views as queue
from articles.review import views as review

app_name = "articles"

urlpatterns: list = [
    path("", queue.queue, name="queue"),
    path("articles/<int:pk>/", review.detail, name="detail"),
    path(
        "articles/<int:pk>/paragraphs/<int:position>/label/",
        review.label,
        name="label",
    ),
    path("articles/<int:pk>/paragraphs/<int:position>/note/", review.note, name="note"),
    path(
        "articles/<int:pk>/boilerplate-rest/",
        review.boilerplate_rest,
        name="boilerplate_rest",
    ),
    path("articles/<int:pk>/assign/", review.assign, name="assign"),
    path("articles/<int:pk>/reset/", review.reset, name="reset"),
    path(
        "articles/<int:pk>/suggestions/accept/",
        review.accept_suggestions,
        name="accept_suggestions",
    ),
    path("articles/<int:pk>/next/", review.next_article, name="next"),
    path("articles/<int:pk>/previous/", review.previous_article, name="previous"),
    path("export/articles.csv", exports.articles_csv, name="export_articles"),
    path("export/paragraphs.csv", exports.paragraphs_csv, name="export_paragraphs"),
    path("boilerplate/", boilerplate.overview, name="boilerplate"),
    path("boilerplate/apply/", boilerplate.apply, name="boilerplate_apply"),
    path("boilerplate/undo/<int:pk>/", boilerplate.undo, name="boilerplate_undo"),
    path("import/", imports.upload, name="import"),
    path("import/<int:pk>/", imports.run_detail, name="import_run"),
]
