from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mieval.reports"
    label = "reports"
