from django.urls import path

from mieval.practices import views

urlpatterns = [
    path("", views.browse, name="practices_browse"),
    path("campaigns/<slug:code>/base/", views.base_items, name="practices_base_items"),
    path("campaigns/<slug:code>/reforms/new/", views.reform_new, name="practices_reform_new"),
    path(
        "campaigns/<slug:code>/nominations/new/<slug:kind>/",
        views.nomination_new,
        name="practices_nomination_new",
    ),
    path("campaigns/<slug:code>/review/", views.review, name="practices_review"),
    path("campaigns/<slug:code>/report/", views.report, name="practices_report"),
    path("reforms/<int:pk>/", views.reform_detail, name="practices_reform"),
    path("reforms/<int:pk>/edit/", views.reform_edit, name="practices_reform_edit"),
    path("nominations/<int:pk>/", views.nomination_detail, name="practices_nomination"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="practices_nomination_edit"),
    path("<slug:kind>/<int:pk>/evidence/", views.evidence_download, name="practices_evidence"),
]
