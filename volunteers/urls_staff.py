"""Staff pages of volunteer service (included by `volunteers.urls`)."""

from django.urls import path

from . import views_staff as views

urlpatterns = [
    # Events
    path("staff/events/", views.EventList.as_view(), name="event_list"),
    path("staff/events/new/", views.EventCreate.as_view(), name="event_create"),
    path("staff/events/<int:pk>/", views.EventDetail.as_view(), name="event_detail"),
    path("staff/events/<int:pk>/edit/", views.EventUpdate.as_view(), name="event_update"),
    path("staff/events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("staff/events/<int:pk>/held/", views.event_held, name="event_held"),
    path("staff/events/<int:pk>/copy/", views.event_copy, name="event_copy"),
    path("staff/events/<int:pk>/photo/", views.event_photo, name="event_photo"),
    path("staff/events/<int:pk>/roster/", views.roster, name="roster"),
    path("staff/members/<int:pk>/certificate/", views.member_certificate, name="member_certificate"),
    path("staff/events/<int:pk>/roster.xlsx", views.roster_export, name="roster_export"),
    path("staff/kinds/", views.kind_list, name="kind_list"),
    path("staff/kinds/new/", views.KindCreate.as_view(), name="kind_create"),
    # Teams and projects
    path("staff/teams/", views.TeamList.as_view(), name="team_list"),
    path("staff/teams/new/", views.TeamCreate.as_view(), name="team_create"),
    path("staff/teams/<int:pk>/", views.TeamDetail.as_view(), name="team_detail"),
    path("staff/teams/<int:pk>/edit/", views.TeamUpdate.as_view(), name="team_update"),
    path("staff/projects/", views.ProjectList.as_view(), name="project_list"),
    path("staff/projects/new/", views.ProjectCreate.as_view(), name="project_create"),
    path("staff/projects/<int:pk>/", views.ProjectDetail.as_view(), name="project_detail"),
    path("staff/projects/<int:pk>/edit/", views.ProjectUpdate.as_view(), name="project_update"),
    # Special-group cases
    path("staff/cases/", views.CaseList.as_view(), name="case_list"),
    path("staff/cases/new/", views.CaseCreate.as_view(), name="case_create"),
    path("staff/cases/<int:pk>/", views.CaseDetail.as_view(), name="case_detail"),
    path("staff/cases/<int:pk>/edit/", views.CaseUpdate.as_view(), name="case_update"),
    path("staff/cases/<int:pk>/status/", views.case_status, name="case_status"),
    # Points
    path("staff/points-rule/", views.points_rule, name="points_rule"),
    path("staff/points/adjust/", views.points_adjust, name="points_adjust"),
]
