from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfEvalConfig(AppConfig):
    name = "mieval.selfeval"
    label = "selfeval"
    verbose_name = _("self-evaluation reports")
