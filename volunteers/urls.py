from . import urls_public, urls_staff

app_name = "volunteers"

# Public and member pages, and staff pages, in one namespace.
urlpatterns = urls_public.urlpatterns + urls_staff.urlpatterns
