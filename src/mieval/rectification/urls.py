from django.urls import path

from mieval.rectification import views

urlpatterns = [
    path("campaigns/<slug:code>/problems/", views.register, name="rectification_register"),
    path("campaigns/<slug:code>/problems/counts/", views.counts, name="rectification_counts"),
    path("campaigns/<slug:code>/problems/propose/", views.propose, name="rectification_propose"),
    path(
        "campaigns/<slug:code>/rectification/overdue/",
        views.overdue,
        name="rectification_overdue",
    ),
    path(
        "campaigns/<slug:code>/rectification/<str:base_code>/",
        views.base_rectification,
        name="rectification_base",
    ),
    path("problems/<int:pk>/", views.problem_detail, name="rectification_problem"),
    path(
        "rectification/progress/<int:pk>/file/",
        views.progress_file,
        name="rectification_progress_file",
    ),
    path("campaigns/<slug:code>/letters/", views.letters, name="rectification_letters"),
    path(
        "campaigns/<slug:code>/letters/<str:base_code>/",
        views.letter_page,
        name="rectification_letter",
    ),
    path(
        "campaigns/<slug:code>/letters/<str:base_code>/letter.<str:kind>",
        views.letter_file,
        name="rectification_letter_file",
    ),
]
