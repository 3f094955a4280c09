from django.urls import path

from mieval.backbone import views

urlpatterns = [
    path("campaigns/<slug:code>/backbone/", views.member_list, name="backbone_list"),
    path("campaigns/<slug:code>/backbone/import/", views.import_records, name="backbone_import"),
    path("campaigns/<slug:code>/backbone/<int:pk>/", views.member_edit, name="backbone_member"),
    path("campaigns/<slug:code>/backbone/<int:pk>/invite/", views.invite, name="backbone_invite"),
    path("campaigns/<slug:code>/backbone/<int:pk>/accept/", views.accept, name="backbone_accept"),
    path(
        "campaigns/<slug:code>/backbone/nominate/<slug:base_code>/",
        views.nominate,
        name="backbone_nominate",
    ),
]
