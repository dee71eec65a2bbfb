from django.urls import path

from articles.views import queue

app_name = "articles"

urlpatterns: list = [
    path("", queue.queue, name="queue"),
]
