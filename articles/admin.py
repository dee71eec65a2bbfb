"""The Django admin: staff look up and correct articles; labels change only through the review UI.

Labels, notes, counts and status are read-only here on purpose: the review services change them
together with the article's counts and one LabelEvent each, and the admin would bypass all three.
The audit trail (LabelEvent) and import history (ImportRun) cannot be added, changed or deleted by
anyone, superusers included.
"""

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from articles.boilerplate.repetition import delete_articles
from articles.exports.csv import export_selected_as_csv
from articles.imports import admin as imports_admin  # noqa: F401 (registers ImportRun's)
from articles.models import (
    Article,
    LabelEvent,
    Paragraph,
    Propagation,
    RepeatedText,
)
from articles.quality import admin as quality_admin  # noqa: F401 (registers its models)
from articles.readonly_admin import ReadOnlyAdminMixin
from articles.review.labels import assign_articles
from articles.review.people import assignable_users


class ParagraphInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Paragraph
    fields = ["position", "label", "labeled_by", "labeled_at", "note", "text"]
    # Read-only fields are rendered escaped: the plain text, never the stored HTML.
    readonly_fields = fields
    ordering = ["position"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The article join serves Paragraph.__str__, shown above each row.
        return super().get_queryset(request).select_related("labeled_by", "article")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "source",
        "status",
        "progress",
        "verified_count",
        "unverified_count",
        "boilerplate_count",
        "assigned_to",
        "imported_at",
    ]
    # A date filter rather than date_hierarchy: the hierarchy runs a DISTINCT over every row's
    # date on each page load, which is the slowest query here on a large corpus.
    list_filter = ["status", "source", "imported_at", "assigned_to"]
    search_fields = ["title", "external_id", "url"]
    list_select_related = ["assigned_to"]
    list_per_page = 50
    # A COUNT(*) over every article on each page load is the slow part on a large corpus.
    show_full_result_count = False
    actions = ["assign_selected", "unassign_selected", export_selected_as_csv]
    inlines = [ParagraphInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "source", "url", "external_id"]}),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "progress",
                    ("paragraph_count", "verified_count"),
                    ("unverified_count", "boilerplate_count"),
                    "assigned_to",
                    ("last_reviewed_by", "last_reviewed_at"),
                ],
                "description": "Labels, counts and status change only on the review page, "
                "so each change is counted and audited. Assign with the actions on the list.",
            },
        ),
        (
            "Import",
            {
                "fields": [
                    "import_run",
                    "imported_at",
                    "content_hash",
                    ("revision", "revised_at"),
                ]
            },
        ),
    ]
    readonly_fields = [
        "external_id",
        "status",
        "progress",
        "paragraph_count",
        "verified_count",
        "unverified_count",
        "boilerplate_count",
        "assigned_to",
        "last_reviewed_by",
        "last_reviewed_at",
        "import_run",
        "imported_at",
        "content_hash",
        "revision",
        "revised_at",
    ]

    def delete_model(self, request, obj: Article) -> None:
        delete_articles(Article.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        # Not QuerySet.delete(): the repetition counts of the suggestions must forget them too.
        delete_articles(queryset)

    @admin.display(description="Progress")
    def progress(self, article: Article) -> str:
        return f"{article.labeled_count}/{article.paragraph_count} ({article.progress_percent}%)"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Articles come from imports, which hash and sanitise their paragraphs.
        return False

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        # Paragraphs cannot be deleted one by one (that would break the counts), but they go with
        # their article. LabelEvents are never deleted at all (FK PROTECT): drop both from the
        # missing permissions so the page explains the protection instead of a permission gap.
        perms_needed.discard(Paragraph._meta.verbose_name)
        perms_needed.discard(LabelEvent._meta.verbose_name)
        return deleted, model_count, perms_needed, protected

    @admin.action(description="Assign selected articles to…", permissions=["assign"])
    def assign_selected(self, request: HttpRequest, queryset: QuerySet):
        users = assignable_users()
        if "apply" in request.POST:
            assignee = users.filter(pk=request.POST.get("assignee") or None).first()
            if assignee is None:
                self.message_user(
                    request,
                    "Choose an active reviewer or lead to assign the articles to.",
                    messages.ERROR,
                )
            else:
                count = assign_articles(
                    articles=queryset, assignee=assignee, by=request.user
                )
                self.message_user(
                    request,
                    ngettext(
                        "Assigned %(count)d article to %(user)s.",
                        "Assigned %(count)d articles to %(user)s.",
                        count,
                    )
                    % {"count": count, "user": assignee.get_username()},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Assign articles",
            "opts": self.model._meta,
            "articles": queryset.select_related("assigned_to"),
            "users": users,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "query_string": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/articles/article/assign.html", context)

    @admin.action(description="Unassign selected articles", permissions=["assign"])
    def unassign_selected(self, request: HttpRequest, queryset: QuerySet):
        count = assign_articles(articles=queryset, assignee=None, by=request.user)
        self.message_user(
            request,
            ngettext("Unassigned %d article.", "Unassigned %d articles.", count)
            % count,
            messages.SUCCESS,
        )

    def has_assign_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.assign_article")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.export_article")


@admin.register(Paragraph)
class ParagraphAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["article", "position", "label", "labeled_by", "labeled_at"]
    list_filter = ["label"]
    search_fields = ["text"]
    list_select_related = ["article", "labeled_by"]
    # The (article, position) unique index serves this order; the model's default ordering would
    # sort every paragraph by its article's import date first.
    ordering = ["article_id", "position"]
    show_full_result_count = False
    fields = [
        "article",
        "position",
        "label",
        "labeled_by",
        "labeled_at",
        "note",
        "version",
        "text",
        "html",
        "text_hash",
    ]
    # Every field is displayed escaped; `html` shows the sanitised markup as source text.
    readonly_fields = fields


@admin.register(LabelEvent)
class LabelEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "article",
        "paragraph_position",
        "field",
        "old_value",
        "new_value",
        "user",
        "method",
    ]
    list_filter = ["field", "method", "created_at"]
    search_fields = ["article__title", "article__external_id", "user__username"]
    list_select_related = ["article", "paragraph", "user"]
    # Newest first by primary key: the same order as created_at, served by the primary key index.
    ordering = ["-id"]
    show_full_result_count = False
    fields = [
        "created_at",
        "article",
        "paragraph",
        "field",
        "old_value",
        "new_value",
        "user",
        "method",
        "batch",
    ]
    readonly_fields = fields

    @admin.display(description="¶", ordering="paragraph__position")
    def paragraph_position(self, event: LabelEvent) -> int | None:
        return event.paragraph.position if event.paragraph else None


@admin.register(RepeatedText)
class RepeatedTextAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Paragraph texts that repeat within a source: what boilerplate suggestions are made of."""

    list_display = [
        "source",
        "article_count",
        "paragraph_count",
        "boilerplate_labels",
        "last_labeled_by",
        "sample",
    ]
    search_fields = ["source"]
    list_select_related = ["last_labeled_by"]
    ordering = ["-article_count", "id"]
    show_full_result_count = False
    fields = [*list_display[:-1], "text_hash", "sample"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Only texts in two or more articles (what the partial indexes hold); the row with an
        # empty hash is the source's article count, not a text.
        sample = Paragraph.objects.filter(
            text_hash=models.OuterRef("text_hash"),
            article__source=models.OuterRef("source"),
        ).values("text")[:1]
        return (
            super()
            .get_queryset(request)
            .filter(article_count__gte=2)
            .exclude(text_hash="")
            .annotate(sample_text=models.Subquery(sample))
        )

    @admin.display(description="Text (one copy)")
    def sample(self, row: RepeatedText) -> str:
        text = row.sample_text or ""
        return text if len(text) <= 160 else text[:159] + "…"


@admin.register(Propagation)
class PropagationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every "apply across the corpus" action and whether it was undone (undo is on the
    Boilerplate page, where it reverts the whole batch as one step)."""

    list_display = [
        "created_at",
        "source",
        "label",
        "paragraphs",
        "articles",
        "user",
        "undone_at",
        "undone_by",
    ]
    list_filter = ["label", "created_at"]
    search_fields = ["source", "user__username"]
    list_select_related = ["user", "undone_by"]
    fields = [*list_display, "undone_paragraphs", "text_hash", "batch"]
    readonly_fields = fields
