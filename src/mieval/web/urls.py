from django.urls import path

from mieval.web import health, views

urlpatterns = [
    path("health/", health.health, name="health"),
    path("", views.home, name="home"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("programmes/<slug:code>/trends/", views.programme_trends, name="programme_trends"),
    path(
        "programmes/<slug:code>/bases/<str:base_code>/",
        views.base_rounds,
        name="base_history",
    ),
    path("campaigns/<slug:code>/", views.campaign_overview, name="campaign_overview"),
    path("campaigns/<slug:code>/trends/", views.campaign_trends, name="campaign_trends"),
    path(
        "campaigns/<slug:code>/bases/<str:base_code>/",
        views.base_profile,
        name="base_profile",
    ),
    path("registry/bases/", views.registry_bases, name="registry_bases"),
    path("registry/bases/new/", views.registry_base_create, name="registry_base_create"),
    path(
        "registry/bases/<str:base_code>/edit/",
        views.registry_base_edit,
        name="registry_base_edit",
    ),
    path(
        "registry/bases/<str:base_code>/events/<slug:kind>/",
        views.registry_base_event,
        name="registry_base_event",
    ),
    path(
        "registry/bases/<str:base_code>/events/<int:pk>/document/",
        views.registry_event_document,
        name="registry_event_document",
    ),
    path("frameworks/", views.frameworks, name="frameworks"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path(
        "frameworks/<int:pk>/new-version/",
        views.framework_version_create,
        name="framework_version_create",
    ),
]
