"""The admin of earlier revisions (articles.revisions): read-only, like the audit trail.

Registered when the app is ready (articles.apps), beside articles/admin.py's core models.
"""

from django.contrib import admin

from articles.admin import ReadOnlyAdminMixin
from articles.models import ArticleRevision, ParagraphSnapshot


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every revision a re-import wrote: the one audit entry each (articles.revisions)."""

    list_display = ["article", "number", "created_at", "summary"]
    list_filter = ["created_at"]
    search_fields = ["article__external_id", "article__title", "summary"]
    list_select_related = ["article"]
    show_full_result_count = False
    fields = [
        "article",
        "number",
        "created_at",
        "import_run",
        "file",
        ("unchanged", "links_changed", "edited", "added", "deleted"),
        "summary",
        "previous_title",
        "previous_url",
        "batch",
    ]
    readonly_fields = [
        name
        for field in fields
        for name in (field if isinstance(field, tuple) else [field])
    ]


@admin.register(ParagraphSnapshot)
class ParagraphSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The paragraphs of earlier revisions as they were, labels included; never changed."""

    list_display = ["article", "revision", "position", "label", "fate"]
    list_filter = ["fate", "label"]
    search_fields = ["article__external_id", "text"]
    list_select_related = ["article"]
    show_full_result_count = False
    fields = [
        "article",
        "revision",
        "position",
        "paragraph",
        "label",
        "labeled_by",
        "labeled_at",
        "note",
        "change",
        "fate",
        "text",
    ]
    # Read-only fields are rendered escaped: the plain text, never the stored HTML.
    readonly_fields = fields
