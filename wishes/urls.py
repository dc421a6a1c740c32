from . import urls_public, urls_staff

app_name = "wishes"

# Public pages (residents, no account) and staff/member pages, in one namespace.
urlpatterns = urls_public.urlpatterns + urls_staff.urlpatterns
