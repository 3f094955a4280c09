from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "mieval.jobs"
    label = "jobs"
    verbose_name = _("background jobs")

    def ready(self):
        # Job functions are registered by each app's ``tasks`` module (``@job("kind")``).
        autodiscover_modules("tasks")
