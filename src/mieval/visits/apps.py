from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "mieval.visits"
    label = "visits"
    verbose_name = _("site visits and panel opinions")
