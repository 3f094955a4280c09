from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "mieval.analytics"
    label = "analytics"
