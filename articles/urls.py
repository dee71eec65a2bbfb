from django.urls import path

from articles.views import exports, queue

app_name = "articles"

urlpatterns: list = [
    path("", queue.queue, name="queue"),
    path("export/articles.csv", exports.articles_csv, name="export_articles"),
    path("export/paragraphs.csv", exports.paragraphs_csv, name="export_paragraphs"),
]
