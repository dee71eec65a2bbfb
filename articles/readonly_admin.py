"""The admin's read-only base, shared by the core models' admin and the feature packages'."""


class ReadOnlyAdminMixin:
    """No add, change or delete for anyone; viewing stays with the model's view permission."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
