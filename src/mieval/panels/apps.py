from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "mieval.panels"
    label = "panels"
