from django.urls import path

from mieval.panels import views

urlpatterns = [
    path("panels/roster/", views.roster, name="panels_roster"),
    path(
        "panels/organisations/<str:org_code>/experts/",
        views.organisation_experts,
        name="panels_organisation_experts",
    ),
    path(
        "panels/organisations/<str:org_code>/experts/new/",
        views.expert_edit,
        name="panels_expert_create",
    ),
    path(
        "panels/organisations/<str:org_code>/experts/<str:expert_code>/edit/",
        views.expert_edit,
        name="panels_expert_edit",
    ),
    path(
        "panels/organisations/<str:org_code>/experts/<str:expert_code>/login/",
        views.expert_login,
        name="panels_expert_login",
    ),
    path("panels/logins/", views.login_requests, name="panels_login_requests"),
    path(
        "panels/logins/<int:pk>/decide/",
        views.login_request_decide,
        name="panels_login_request_decide",
    ),
    path("panels/mine/", views.my_bases, name="panels_my_bases"),
    path("campaigns/<slug:code>/panels/", views.panel_formation, name="panels_formation"),
    path("campaigns/<slug:code>/panels/rules/", views.panel_rule_add, name="panels_rule_add"),
    path(
        "campaigns/<slug:code>/panels/rules/<int:pk>/delete/",
        views.panel_rule_delete,
        name="panels_rule_delete",
    ),
    path(
        "campaigns/<slug:code>/panels/<int:pk>/publish/",
        views.panels_publish,
        name="panels_publish",
    ),
    path(
        "campaigns/<slug:code>/panels/unpublish/",
        views.panels_unpublish,
        name="panels_unpublish",
    ),
    path("campaigns/<slug:code>/panels/results/", views.panel_results, name="panels_results"),
    path(
        "campaigns/<slug:code>/panels/settings/",
        views.evaluation_settings,
        name="panels_settings",
    ),
    path(
        "campaigns/<slug:code>/panels/results.csv",
        views.panel_results_csv,
        name="panels_results_csv",
    ),
    path(
        "campaigns/<slug:code>/panels/comments.csv",
        views.panel_comments_csv,
        name="panels_comments_csv",
    ),
    path(
        "campaigns/<slug:code>/panels/reminders/",
        views.score_reminders,
        name="panels_reminders",
    ),
    path("campaigns/<slug:code>/rubrics/", views.rubric_list, name="panels_rubrics"),
    path("campaigns/<slug:code>/rubrics/new/", views.rubric_edit, name="panels_rubric_create"),
    path(
        "campaigns/<slug:code>/rubrics/<int:pk>/edit/",
        views.rubric_edit,
        name="panels_rubric_edit",
    ),
    path(
        "campaigns/<slug:code>/scoring/<str:base_code>/",
        views.score_base,
        name="panels_score",
    ),
    path(
        "campaigns/<slug:code>/scoring/<str:base_code>/conflict/",
        views.conflict_declare,
        name="panels_conflict",
    ),
]
