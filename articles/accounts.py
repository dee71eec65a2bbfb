"""Changing your own password, throttled like the log-in.

The form checks the old password; unthrottled, a stolen session could try passwords at full
speed. Every wrong old password is reported to django-axes as a failed log-in for that user
(the same signal Django sends for a failed log-in, with the request), so it counts in the
log-in's own budget: the same limit, per username and address, the same cool-off, the same
429 page and the same records (AccessAttempt, AccessFailureLog, axes' warning in the log).
Once locked, the form answers 429 before checking anything.
"""

import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import PasswordChangeView
from django.urls import reverse

logger = logging.getLogger(__name__)


class ThrottledPasswordChangeView(PasswordChangeView):
    def _credentials(self) -> dict:
        return {"username": self.request.user.get_username()}

    def post(self, request, *args, **kwargs):
        if AxesProxyHandler.is_locked(request, self._credentials()):
            return get_lockout_response(request, None, self._credentials())
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            logger.warning(
                "Wrong old password on the password-change form for %s",
                self.request.user.get_username(),
            )
            # AxesMiddleware turns the answer into the lockout page when this was the last try.
            user_login_failed.send(
                sender=type(self), credentials=self._credentials(), request=self.request
            )
        return super().form_invalid(form)


def admin_password_change(request):
    """The admin's own "Change password" page (AdminSite.password_change), throttled the same
    way: the admin's form and templates, this module's view. newsreview/urls.py routes
    /admin/password_change/ here, ahead of the admin's URLs, behind admin_view (staff only)."""
    request.current_app = admin.site.name
    return ThrottledPasswordChangeView.as_view(
        form_class=AdminPasswordChangeForm,
        success_url=reverse("admin:password_change_done", current_app=admin.site.name),
        extra_context=admin.site.each_context(request),
    )(request)
