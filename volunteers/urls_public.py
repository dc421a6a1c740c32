"""Public and member pages, under /volunteers/ in the "volunteers" namespace."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("events/", views.calendar, name="calendar"),
    path("events/<int:pk>/public/", views.event_public, name="event_public"),
    path("events/<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("events/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("events/<int:pk>/checkin-sheet/", views.checkin_sheet, name="checkin_sheet"),
    path("events/<int:pk>/checked-in/", views.checked_in, name="checked_in"),
    path("checkin/", views.checkin, name="checkin"),
    path("checkin/<str:code>/", views.checkin_code, name="checkin_code"),
    path("my/", views.my, name="my"),
    path("my/certificate/", views.my_certificate, name="my_certificate"),
]
