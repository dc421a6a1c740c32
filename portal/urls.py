"""Accounts: log in, log out, change the password, switch between one's roles."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import identity

app_name = "portal"

urlpatterns = [
    path(
        "accounts/login/",
        identity.LoginView.as_view(),
        name="login",
    ),
    path("accounts/logout/", identity.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        identity.PasswordChangeView.as_view(success_url="/accounts/password/done/"),
        name="password_change",
    ),
    path("accounts/roles/", identity.my_roles, name="my_roles"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
