from django.urls import path

from mieval.selfeval import views

report = "campaigns/<slug:code>/bases/<str:base_code>/"

urlpatterns = [
    path("", views.home, name="selfeval_home"),
    path("campaigns/<slug:code>/", views.campaign_page, name="selfeval_campaign"),
    path("campaigns/<slug:code>/search/", views.search, name="selfeval_search"),
    path("campaigns/<slug:code>/export.xlsx", views.export_xlsx, name="selfeval_export_xlsx"),
    path("campaigns/<slug:code>/export.pdf", views.export_pdf, name="selfeval_export_pdf"),
    path("campaigns/<slug:code>/template/", views.template_page, name="selfeval_template"),
    path(report, views.report_page, name="selfeval_report"),
    path(report + "save/", views.report_save_view, name="selfeval_save"),
    path(report + "submit/", views.report_submit_view, name="selfeval_submit"),
    path(report + "review/", views.report_review_view, name="selfeval_review"),
    path(report + "files/", views.file_upload, name="selfeval_file_upload"),
    path(report + "files/<int:pk>/", views.file_download, name="selfeval_file"),
    path(report + "files/<int:pk>/remove/", views.file_remove, name="selfeval_file_remove"),
]
