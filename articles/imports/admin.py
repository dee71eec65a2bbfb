"""The admin's import runs: read-only, each with its reasons (capped) and links to its report
and its articles; a run whose process died is listed as such (articles.imports.runs)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.imports.runs import settle_interrupted
from articles.models import ImportRun
from articles.readonly_admin import ReadOnlyAdminMixin


def _error_parts(error) -> tuple[str, str]:
    if isinstance(error, dict):
        return str(error.get("file", "?")), str(error.get("reason", ""))
    return "?", str(error)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "started_at",
        "started_by",
        "origin",
        "state",
        "files_seen",
        "articles_created",
        "articles_unchanged",
        "articles_failed",
    ]
    list_filter = ["state", "origin", "started_at"]
    list_select_related = ["started_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The list never shows the reasons; a run's page reads them, capped, in error_list.
        return super().get_queryset(request).defer("errors", "files")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        settle_interrupted()  # a run whose process died is listed as such
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id, form_url="", extra_context=None
    ):
        settle_interrupted()
        return super().change_view(request, object_id, form_url, extra_context)

    fields = [
        "origin",
        "started_by",
        "started_at",
        "finished_at",
        "state",
        "worker",
        "heartbeat_at",
        "files_seen",
        "articles_created",
        "paragraphs_created",
        "articles_unchanged",
        "articles_failed",
        "empty_paragraphs_dropped",
        "error_list",
        "links",
    ]
    readonly_fields = fields

    @admin.display(description="See also")
    def links(self, run: ImportRun) -> str:
        articles = reverse("admin:articles_article_changelist")
        return format_html(
            '<a href="{}">The import report</a> · <a href="{}?import_run__id__exact={}">'
            "The articles it created</a>",
            reverse("articles:import_run", args=[run.pk]),
            articles,
            run.pk,
        )

    @admin.display(description="Errors")
    def error_list(self, run: ImportRun) -> str:
        if not run.errors:
            return "None"
        # format_html_join escapes every file name and reason: both come from uploaded input.
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                # Runs from before the cap may hold a million; the first ones say enough.
                (_error_parts(error) for error in run.errors[:2001]),
            ),
        )
