"""The admin's list of everyone's API tokens, with the action that revokes them."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from articles.api.tokens import revoke
from articles.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's API tokens (never the tokens themselves: only their first characters are
    kept). Staff revoke them with the action; a token is made by its user, on their page."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # revoked tokens stay listed, with when

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = revoke(queryset)
        self.message_user(
            request,
            ngettext("%d token revoked.", "%d tokens revoked.", n) % n,
            messages.SUCCESS,
        )
