"""Residents' pages (no account), under /wishes/ in the "wishes" namespace."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("", views.wall, name="wall"),
    path("new/", views.wish_new, name="new"),
    path("new/done/", views.wish_submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/confirm/", views.track_confirm, name="track_confirm"),
    path("track/rate/", views.track_rate, name="track_rate"),
    path("poster/<slug:code>/", views.poster, name="poster"),
]
