from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("communities/", views.CommunityList.as_view(), name="community_list"),
    path("communities/new/", views.CommunityCreate.as_view(), name="community_create"),
    path("communities/<int:pk>/", views.CommunityDetail.as_view(), name="community_detail"),
    path("communities/<int:pk>/edit/", views.CommunityUpdate.as_view(), name="community_update"),
    path("cells/", views.GridCellList.as_view(), name="gridcell_list"),
    path("cells/new/", views.GridCellCreate.as_view(), name="gridcell_create"),
    path("cells/<int:pk>/", views.GridCellDetail.as_view(), name="gridcell_detail"),
    path("cells/<int:pk>/edit/", views.GridCellUpdate.as_view(), name="gridcell_update"),
    path("buildings/", views.BuildingList.as_view(), name="building_list"),
    path("buildings/new/", views.BuildingCreate.as_view(), name="building_create"),
    path("buildings/<int:pk>/", views.BuildingDetail.as_view(), name="building_detail"),
    path("buildings/<int:pk>/edit/", views.BuildingUpdate.as_view(), name="building_update"),
    path("units/", views.UnitList.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreate.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.UnitDetail.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitUpdate.as_view(), name="unit_update"),
    path("members/", views.MemberList.as_view(), name="member_list"),
    path("members/new/", views.MemberCreate.as_view(), name="member_create"),
    path("members/me/", views.member_me, name="member_me"),
    path("members/<int:pk>/", views.MemberDetail.as_view(), name="member_detail"),
    path("members/<int:pk>/edit/", views.MemberUpdate.as_view(), name="member_update"),
    path("members/<int:pk>/confirm/", views.member_confirm, name="member_confirm"),
    path("members/<int:pk>/undo-report/", views.member_undo_report, name="member_undo_report"),
    path("join/<slug:code>/", views.member_register, name="member_register"),
    path("join/<slug:code>/done/", views.member_register_done, name="member_register_done"),
    path("units/import/", views.import_roster, {"kind": "units"}, name="unit_import"),
    path("units/import/template.xlsx", views.import_template, {"kind": "units"}, name="unit_import_template"),
    path("members/import/", views.import_roster, {"kind": "members"}, name="member_import"),
    path("members/import/template.xlsx", views.import_template, {"kind": "members"}, name="member_import_template"),
]

# Grid work (visits, appeals) and stations / micro party schools live in their own modules.
from . import urls_stations, urls_work  # noqa: E402

urlpatterns += urls_work.urlpatterns + urls_stations.urlpatterns
