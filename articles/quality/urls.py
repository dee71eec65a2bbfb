"""Quality control's URLs, included into the articles namespace (articles.urls)."""

from django.urls import path

from articles.quality import blind, settle, views

urlpatterns = [
    path("quality/", views.overview, name="quality"),
    path("quality/agreement/", views.agreement_page, name="agreement"),
    path("quality/agreement.csv", views.agreement_csv, name="agreement_csv"),
    path("quality/disagreements/", settle.disagreements, name="disagreements"),
    path("quality/opinions/<id:pk>/settle/", settle.settle, name="settle"),
    path("quality/second-review/", views.send, name="send_second_review"),
    path("quality/second/<id:pk>/", blind.page, name="second_review"),
    path(
        "quality/second/<id:pk>/paragraphs/<id:position>/label/",
        blind.label,
        name="second_label",
    ),
    path(
        "quality/second/<id:pk>/paragraphs/<id:position>/note/",
        blind.note,
        name="second_note",
    ),
    path("quality/second/<id:pk>/finish/", blind.finish, name="second_finish"),
    path("articles/<id:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("articles/<id:pk>/return/", views.return_article, name="return"),
]
