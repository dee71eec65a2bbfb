from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles.accounts import ThrottledPasswordChangeView

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
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

admin.site.site_header = "newsreview administration"
admin.site.site_title = "newsreview admin"
