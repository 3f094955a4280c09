from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "mieval.indicators"
    label = "indicators"
