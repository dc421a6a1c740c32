"""Stations and micro party schools: included by `grid.urls` (namespace "grid")."""

from django.urls import path

from . import views_stations as views

urlpatterns = [
    path("stations/", views.StationList.as_view(), name="station_list"),
    path("stations/new/", views.StationCreate.as_view(), name="station_create"),
    path("stations/<int:pk>/", views.StationDetail.as_view(), name="station_detail"),
    path("stations/<int:pk>/edit/", views.StationEdit.as_view(), name="station_update"),
    path("stations/<int:pk>/updates/new/", views.station_update_create, name="station_update_create"),
    path("stations/updates/<int:pk>/photo/", views.station_update_photo, name="station_update_photo"),
    path("stations/updates/<int:pk>/delete/", views.station_update_delete, name="station_update_delete"),
]
