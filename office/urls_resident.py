"""A resident's request to see or delete their personal data (staff pages)."""

from django.urls import path

from . import views_resident

app_name = "privacy"

urlpatterns = [
    path("resident/", views_resident.resident_data, name="resident"),
    path("resident/remove/", views_resident.resident_remove, name="resident_remove"),
]
