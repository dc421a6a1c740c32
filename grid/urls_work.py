"""Grid work: visit logs and appeals (included in grid/urls.py, namespace "grid")."""

from django.urls import path

from . import views_work as views

urlpatterns = [
    # Visits (走访 / 民情日志)
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
    path("visits/<int:pk>/comment/", views.visit_comment, name="visit_comment"),
    path("visits/<int:pk>/follow-up-done/", views.visit_follow_up_done, name="visit_follow_up_done"),
    path("visits/<int:pk>/to-appeal/", views.visit_to_appeal, name="visit_to_appeal"),
    path("visits/<int:pk>/to-case/", views.visit_to_case, name="visit_to_case"),
    # Appeals (诉求): the residents' pages, no account
    path("appeals/new/", views.appeal_new, name="appeal_new"),
    path("appeals/new/done/", views.appeal_submitted, name="appeal_submitted"),
    path("appeals/track/", views.appeal_track, name="appeal_track"),
    path("appeals/track/reopen/", views.appeal_track_reopen, name="appeal_track_reopen"),
    path("appeals/track/close/", views.appeal_track_close, name="appeal_track_close"),
    path("appeals/track/rate/", views.appeal_track_rate, name="appeal_track_rate"),
    # Appeals: staff and grid workers
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/record/", views.appeal_record, name="appeal_record"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/photo/", views.appeal_photo, name="appeal_photo"),
    path("appeals/<int:pk>/assign/", views.appeal_assign, name="appeal_assign"),
    path("appeals/<int:pk>/answer/", views.appeal_answer, name="appeal_answer"),
    path("appeals/<int:pk>/close/", views.appeal_close, name="appeal_close"),
    path("appeals/<int:pk>/urgency/", views.appeal_urgency, name="appeal_urgency"),
    path("appeals/<int:pk>/contact/", views.appeal_contact, name="appeal_contact"),
    path("appeals/<int:pk>/rate/", views.appeal_rate, name="appeal_rate"),
    path("appeals/<int:pk>/to-topic/", views.appeal_to_topic, name="appeal_to_topic"),
    path("appeals/<int:pk>/remove-personal-data/", views.appeal_remove_personal_data, name="appeal_remove_personal_data"),
]
