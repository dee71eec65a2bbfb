"""Quality control in the Django admin: the Leads' decisions and the second reviews, to look up
(read-only for everyone: they change only through the quality pages, which keep the article's
status, the audit and the agreement tally in step)."""

from django.contrib import admin

from articles.models import SecondOpinion, SecondReview, SignOff
from articles.readonly_admin import ReadOnlyAdminMixin


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every sign-off and return: who, when, which content, and what withdrew it."""

    list_display = [
        "at",
        "article",
        "decision",
        "by",
        "content_hash",
        "unsettled",
        "withdrawn_at",
        "withdrawn_reason",
    ]
    list_filter = ["decision", "at"]
    search_fields = ["article__title", "article__external_id", "by__username"]
    list_select_related = ["article", "by"]
    fields = [*list_display, "reason", "withdrawn_by"]
    readonly_fields = fields


class SecondOpinionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SecondOpinion
    fields = [
        "position",
        "paragraph",
        "first_label",
        "label",
        "note",
        "adjudicated_label",
        "adjudicated_by",
    ]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("paragraph__article", "adjudicated_by")
        )


@admin.register(SecondReview)
class SecondReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "of_article",
        "round",
        "reviewer",
        "requested_by",
        "requested_at",
        "finished_at",
        "compared",
        "agreed",
    ]
    list_filter = ["finished_at", "requested_at"]
    search_fields = ["of_article__title", "reviewer__username"]
    list_select_related = ["of_article", "reviewer", "requested_by"]
    fields = [*list_display, "content_hash"]
    readonly_fields = fields
    inlines = [SecondOpinionInline]
