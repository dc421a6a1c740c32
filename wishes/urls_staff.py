"""Wish pages for staff, grid workers, members and liaisons (included by `wishes.urls`)."""

from django.urls import path

from . import views_staff as views

urlpatterns = [
    # Staff and grid workers
    path("staff/", views.wish_list, name="list"),
    path("staff/new/", views.proxy_new, name="proxy_new"),
    path("staff/<int:pk>/", views.detail, name="detail"),
    path("staff/<int:pk>/edit/", views.edit, name="edit"),
    path("staff/<int:pk>/approve/", views.approve, name="approve"),
    path("staff/<int:pk>/reject/", views.reject, name="reject"),
    path("staff/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("staff/<int:pk>/rate/", views.rate, name="rate"),
    path("staff/<int:pk>/remove-personal-data/", views.remove_personal_data, name="remove_personal_data"),
    # Holders, and staff acting for them
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/deliver/", views.deliver, name="deliver"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("photo/<int:pk>/<str:which>/", views.photo, name="photo"),
    # Members and liaisons
    path("claim/", views.claimable, name="claimable"),
    path("mine/", views.mine, name="mine"),
]
