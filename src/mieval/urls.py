from django.contrib import admin
from django.urls import include, path

from mieval.api.api import api

# Says which parameter was wrong (mieval.lib.params) instead of Django's bare "Bad Request".
handler400 = "mieval.web.views.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("mieval.accounts.urls")),
    path("", include("mieval.exchange.urls")),
    path("", include("mieval.panels.urls")),
    path("", include("mieval.collection.urls")),
    path("", include("mieval.jobs.urls")),
    path("", include("mieval.analytics.urls")),
    path("practices/", include("mieval.practices.urls")),
    path("", include("mieval.rectification.urls")),
    path("selfeval/", include("mieval.selfeval.urls")),
    path("", include("mieval.visits.urls")),
    path("", include("mieval.backbone.urls")),
    path("", include("mieval.reports.urls")),
    path("", include("mieval.indicators.urls")),
    path("", include("mieval.web.urls")),
]
