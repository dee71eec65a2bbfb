"""Authentication backend: Django's ModelBackend with a user's permissions read in one query."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackendOneQuery(ModelBackend):
    """ModelBackend whose get_all_permissions reads user and group permissions in ONE query.

    Django's own backend runs two (user permissions, then group permissions) on every request
    that checks a permission. Every page and every label POST checks one, and the label POST has
    a budget of 8 statements, so the second query is worth saving. The result is cached on the
    user object for the request, exactly as ModelBackend caches it.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(
                    Q(user=user_obj) | Q(group__user=user_obj)
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).distinct()
            }
        return user_obj._perm_cache
