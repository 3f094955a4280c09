from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from mieval.api.api import api

urlpatterns = [
    # The pages of the web platform come later; until then the site opens on the admin.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
