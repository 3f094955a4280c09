from django.urls import path

from mieval.exchange import views

urlpatterns = [
    path("exchange/", views.exchange_home, name="exchange_home"),
    path("exchange/posts/new/", views.post_edit, name="exchange_post_create"),
    path("exchange/posts/<int:pk>/", views.post_detail, name="exchange_post"),
    path("exchange/posts/<int:pk>/edit/", views.post_edit, name="exchange_post_edit"),
    path("exchange/posts/<int:pk>/close/", views.post_close, name="exchange_post_close"),
    path("exchange/requests/new/", views.request_create, name="exchange_request_create"),
    # Before the steps' pattern, which would take "outcome" for a step.
    path(
        "exchange/requests/<int:pk>/outcome/",
        views.outcome_report,
        name="exchange_request_outcome",
    ),
    path(
        "exchange/requests/<int:pk>/<slug:step>/",
        views.request_step,
        name="exchange_request_step",
    ),
    path("exchange/mine/", views.my_exchange, name="exchange_mine"),
    path("exchange/contact/", views.contact_edit, name="exchange_contact"),
    path("exchange/counts/", views.exchange_counts, name="exchange_counts"),
]
