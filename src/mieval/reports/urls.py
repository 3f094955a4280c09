from django.urls import path

from mieval.reports import views

urlpatterns = [
    path("campaigns/<slug:code>/reports/", views.reports_page, name="reports_page"),
    path("campaigns/<slug:code>/reports/publish/", views.snapshot_create, name="snapshot_create"),
    path(
        "campaigns/<slug:code>/reports/narrative/<slug:kind>/",
        views.narrative_edit,
        name="narrative_edit",
    ),
    path(
        "campaigns/<slug:code>/reports/<str:content_hash>/report-<str:lang>.<str:fmt>",
        views.report_download,
        name="report_download",
    ),
    path(
        "campaigns/<slug:code>/reports/<str:content_hash>/profiles/",
        views.profiles_start,
        name="report_profiles_start",
    ),
    path(
        "campaigns/<slug:code>/reports/<str:content_hash>/profiles-<str:lang>.zip",
        views.profiles_zip_download,
        name="report_profiles_zip",
    ),
    path(
        "campaigns/<slug:code>/reports/<str:content_hash>/profiles/<str:base_code>-<str:lang>.pdf",
        views.profile_download,
        name="report_profile",
    ),
    path(
        "campaigns/<slug:code>/reports/<str:content_hash>/profiles/<str:base_code>-<str:lang>.docx",
        views.profile_download,
        {"fmt": "docx"},
        name="report_profile_docx",
    ),
    path("campaigns/<slug:code>/lineage/", views.lineage_page, name="report_lineage"),
]
