from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal.figures_cache import reads_only

from . import identity, views, views_feedback, views_summary

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("dashboard/", views.dashboard, name="dashboard"),
        path("dashboard/export.xlsx", views.dashboard_export, name="dashboard_export"),
        path("dashboard/summary/", views_summary.work_summary, name="work_summary"),
        path("dashboard/feedback/", views_feedback.feedback_list, name="feedback_list"),
        path("dashboard/feedback/all.docx", views_feedback.feedback_all_docx, name="feedback_all_docx"),
        path("dashboard/feedback/<int:pk>/", views_feedback.feedback_unit, name="feedback_unit"),
        path("dashboard/feedback/<int:pk>.docx", views_feedback.feedback_unit_docx, name="feedback_unit_docx"),
        path(
            "accounts/login/",
            # Logging in or switching the language changes no record: the cached figures stay.
            reads_only(identity.LoginView.as_view()),
            name="login",
        ),
        path("accounts/logout/", identity.LogoutView.as_view(), name="logout"),
        path(
            "accounts/password/",
            identity.PasswordChangeView.as_view(success_url="/accounts/password/done/"),
            name="password_change",
        ),
        path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("grid/", include("grid.urls")),
    path("wishes/", include("wishes.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("council/", include("council.urls")),
    path("privacy/", include("portal.urls_resident")),
    path("audit/", include("audit.urls")),
    path("i18n/setlang/", reads_only(views.set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"

# Uploaded media are never served from a public URL, not even with DEBUG on:
# photos of residents go through views that check permission first.
