from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from articles.accounts import ThrottledPasswordChangeView, admin_password_change
from articles.api.urls import urls as api_urls

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        ThrottledPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The admin's password change, throttled like the log-in (articles/accounts.py); ahead of
    # the admin's own URLs, so reverse("admin:password_change") leads here.
    path(
        "admin/password_change/",
        # Like the admin's own views: admin_view sends anyone but staff to the admin's log-in.
        login_not_required(admin.site.admin_view(admin_password_change)),
        name="admin_password_change",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls),
    path("", include("articles.urls")),
]

admin.site.site_header = "newsreview administration"
admin.site.site_title = "newsreview admin"
