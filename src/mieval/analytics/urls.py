from django.urls import path

from mieval.analytics import views

urlpatterns = [
    path("index-frameworks/", views.index_frameworks, name="index_frameworks"),
    path(
        "index-frameworks/<slug:framework_code>/",
        views.index_framework_versions,
        name="index_framework_versions",
    ),
    path(
        "index-frameworks/<slug:framework_code>/new/",
        views.index_framework_edit,
        name="index_framework_edit",
    ),
    path("campaigns/<slug:code>/index/", views.index_runs, name="index_runs"),
    path("campaigns/<slug:code>/index/changes/", views.index_changes, name="index_changes"),
    path("campaigns/<slug:code>/index/<int:run>/", views.index_run_detail, name="index_run_detail"),
    path("campaigns/<slug:code>/index/<int:run>/audit/", views.index_audit, name="index_audit"),
    path(
        "campaigns/<slug:code>/index/<int:run>/bases/<str:base_code>/",
        views.index_base,
        name="index_base",
    ),
]
