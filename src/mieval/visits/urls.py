from django.urls import path

from mieval.visits import views

urlpatterns = [
    path("campaigns/<slug:code>/visits/", views.index, name="visits_index"),
    path(
        "campaigns/<slug:code>/visits/panels/<int:number>/leader/",
        views.leader_set,
        name="visits_leader",
    ),
    path("campaigns/<slug:code>/visits/worker.js", views.worker, name="visits_worker"),
    path("campaigns/<slug:code>/visits/<slug:base_code>/plan/", views.plan, name="visits_plan"),
    path(
        "campaigns/<slug:code>/visits/<slug:base_code>/record/",
        views.record,
        name="visits_record",
    ),
    path(
        "campaigns/<slug:code>/visits/<slug:base_code>/record/files/",
        views.file_add,
        name="visits_file_add",
    ),
    path(
        "campaigns/<slug:code>/visits/<slug:base_code>/files/<int:pk>/",
        views.file_download,
        name="visits_file",
    ),
    path(
        "campaigns/<slug:code>/visits/<slug:base_code>/files/<int:pk>/thumbnail/",
        views.file_download,
        {"thumbnail": True},
        name="visits_thumbnail",
    ),
    path(
        "campaigns/<slug:code>/visits/<slug:base_code>/opinion/",
        views.opinion,
        name="visits_opinion",
    ),
]
