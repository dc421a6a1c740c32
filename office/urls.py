"""The office's pages: the public home page, the dashboard and what reads every app
(the period's figures, its Excel export, the work summary, the units' feedback sheets)."""

from django.urls import path

from . import views, views_exports, views_feedback, views_summary

app_name = "office"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("dashboard/exports/", views_exports.export_list, name="export_list"),
    path("dashboard/exports/start/", views_exports.export_start, name="export_start"),
    path("dashboard/exports/<int:pk>/download/", views_exports.export_download, name="export_download"),
    path("dashboard/summary/", views_summary.work_summary, name="work_summary"),
    path("dashboard/feedback/", views_feedback.feedback_list, name="feedback_list"),
    path("dashboard/feedback/all.docx", views_feedback.feedback_all_docx, name="feedback_all_docx"),
    path("dashboard/feedback/<int:pk>/", views_feedback.feedback_unit, name="feedback_unit"),
    path("dashboard/feedback/<int:pk>.docx", views_feedback.feedback_unit_docx, name="feedback_unit_docx"),
]
