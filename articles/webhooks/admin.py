"""The admin's view of webhooks and their delivery log (Leads manage hooks on their page)."""

from django.contrib import admin

from articles.models import Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "events", "created_by", "created_at"]
    list_select_related = ["created_by"]
    fields = ["url", "events", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # on the Webhooks page, where the URL is checked


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "webhook",
        "state",
        "attempts",
        "status_code",
        "created_at",
    ]
    list_filter = ["state", "event"]
    list_select_related = ["webhook"]
    fields = [
        "webhook",
        "event",
        "state",
        "attempts",
        "status_code",
        "error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "payload",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
