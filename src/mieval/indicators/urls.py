from django.urls import path

from mieval.indicators import views

urlpatterns = [
    path("crosswalks/", views.crosswalks, name="crosswalks"),
    path("crosswalks/<int:from_pk>/<int:to_pk>/", views.crosswalk_pair, name="crosswalk_pair"),
    path("crosswalks/rows/<int:pk>/edit/", views.crosswalk_row_edit, name="crosswalk_row_edit"),
]
