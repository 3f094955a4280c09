from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mieval.api"
    label = "api"
