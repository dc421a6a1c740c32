"""The root URLconf: every app's pages under the paths printed posters and bookmarks know."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from portal import views

urlpatterns = [
    path("", include("office.urls")),
    path("", include("portal.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("grid/", include("grid.urls")),
    path("wishes/", include("wishes.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("council/", include("council.urls")),
    path("privacy/", include("office.urls_resident")),
    path("audit/", include("audit.urls")),
    path("notices/", include("notices.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # Communities moved from the grid app to the foundation: old admin bookmarks still work.
    re_path(
        r"^admin/grid/community/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/portal/community/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

# Uploaded media are never served from a public URL, not even with DEBUG on:
# photos of residents go through views that check permission first.
